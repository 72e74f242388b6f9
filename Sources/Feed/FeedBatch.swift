/// The records of one `batch` frame.
public struct FeedBatch: Sendable, Equatable {
    public var records: [FeedRecord]
    /// Records the subscriber will never receive (the node's disk cap dropped them) just
    /// before `records`; the aggregator logs and counts them.
    public var lost: UInt64

    public init(records: [FeedRecord], lost: UInt64 = 0) {
        self.records = records
        self.lost = lost
    }

    /// The sequence the aggregator acknowledges once the batch is durable.
    public var lastSequence: UInt64? { records.last?.sequence }
}

/// One journal record as it travels: its sequence in the node's journal and its text line
/// (REFERENCE §5).
public struct FeedRecord: Sendable, Equatable {
    public var sequence: UInt64
    public var payload: String

    public init(sequence: UInt64, payload: String) {
        self.sequence = sequence
        self.payload = payload
    }
}
