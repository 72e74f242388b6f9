/// A subscriber's progress.
public struct SubscriberStatus: Sendable, Hashable {
    public var name: String
    /// The last acknowledged sequence.
    public var checkpoint: UInt64
    /// Records appended after the checkpoint, including any the disk cap dropped since.
    public var lag: UInt64

    public init(name: String, checkpoint: UInt64, lag: UInt64) {
        self.name = name
        self.checkpoint = checkpoint
        self.lag = lag
    }
}
