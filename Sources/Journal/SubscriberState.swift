/// What the journal knows about one subscriber in memory.
struct SubscriberState: Sendable {
    /// The last acknowledged sequence, as persisted in its checkpoint file.
    var checkpoint: UInt64
    /// The first record of the last batch read: a retried read of the same batch starts here.
    var batchStart: ReadPosition?
    /// The record after the last batch read: the next read starts here after a full advance.
    var batchEnd: ReadPosition?

    init(checkpoint: UInt64) {
        self.checkpoint = checkpoint
    }
}
