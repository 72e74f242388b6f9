/// A snapshot of the journal's state and counters. Counters cover the life of this `Journal`
/// instance; they start at zero on every open.
public struct JournalStatistics: Sendable, Hashable {
    /// The last sequence handed out (0 for a journal that never had a record).
    public var lastSequence: UInt64
    /// The oldest sequence still on disk, nil when no record is on disk.
    public var firstSequence: UInt64?
    /// Bytes of all segment files.
    public var totalBytes: Int64
    public var segmentCount: Int
    /// Segments deleted by the disk cap, and the records they held.
    public var droppedSegments: UInt64
    public var droppedRecords: UInt64
    /// Segments deleted because every subscriber had read them.
    public var removedSegments: UInt64
    /// Bytes cut from torn or damaged segment tails when the journal was opened.
    public var tornBytesTruncated: Int64
    /// Bytes written but not yet fsynced.
    public var unsyncedBytes: Int64
    /// fsyncs of segment files (by `sync`, `syncIfDue`, per-append syncing and segment rolls).
    public var syncCount: UInt64
    /// Reads that had to scan a segment to find a subscriber's position because no remembered
    /// position matched; sequential reading should keep this near the number of subscribers.
    public var positionScans: UInt64

    public init(
        lastSequence: UInt64, firstSequence: UInt64?, totalBytes: Int64, segmentCount: Int,
        droppedSegments: UInt64, droppedRecords: UInt64, removedSegments: UInt64, tornBytesTruncated: Int64,
        unsyncedBytes: Int64, syncCount: UInt64, positionScans: UInt64
    ) {
        self.lastSequence = lastSequence
        self.firstSequence = firstSequence
        self.totalBytes = totalBytes
        self.segmentCount = segmentCount
        self.droppedSegments = droppedSegments
        self.droppedRecords = droppedRecords
        self.removedSegments = removedSegments
        self.tornBytesTruncated = tornBytesTruncated
        self.unsyncedBytes = unsyncedBytes
        self.syncCount = syncCount
        self.positionScans = positionScans
    }
}
