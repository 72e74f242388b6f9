/// Records a subscriber has not acknowledged yet, oldest first.
public struct JournalBatch: Sendable, Hashable {
    /// Consecutive records, starting right after the subscriber's checkpoint unless records were lost.
    public var records: [JournalEntry]
    /// Records between the subscriber's checkpoint and `records.first` that it never read and never
    /// will: dropped by the disk cap, or lost from an unsynced tail in a crash. Reported once: the
    /// checkpoint is moved past them durably before the batch is returned.
    public var lostBeforeBatch: UInt64
    /// The sequence of the last record in `records`, to pass to `advance` once they are processed.
    public var lastSequence: UInt64?

    public init(records: [JournalEntry], lostBeforeBatch: UInt64, lastSequence: UInt64?) {
        self.records = records
        self.lostBeforeBatch = lostBeforeBatch
        self.lastSequence = lastSequence
    }
}
