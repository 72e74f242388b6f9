/// One message of the node ↔ aggregator feed protocol.
///
/// On the wire every frame is `length: UInt32` (big-endian, counting the type byte and the
/// payload), `type: UInt8`, payload. Integers are big-endian; strings are UTF-8 with a
/// `UInt32` length. The aggregator speaks first (`hello`); the node answers with `welcome`,
/// then sends batches, at most `window` of them unacknowledged, and the aggregator
/// acknowledges each batch's last record in order. A window of 2 lets the aggregator receive
/// and prepare the next batch while it stores the previous one.
public enum FeedFrame: Sendable, Equatable {
    /// Aggregator → node: the protocol version it speaks, the largest batch it wants and how
    /// many unacknowledged batches it will hold (the node may send fewer).
    case hello(version: UInt16, maxRecords: UInt32, maxBytes: UInt32, window: UInt16)
    /// Node → aggregator: accepted; `subscriber` is the journal subscriber (the client
    /// certificate's CN) and `checkpoint` the last record it acknowledged.
    case welcome(version: UInt16, subscriber: String, checkpoint: UInt64)
    /// Node → aggregator: consecutive records after the checkpoint. `lost` counts records the
    /// subscriber will never receive (dropped by the node's disk cap) just before these.
    case batch(FeedBatch)
    /// Aggregator → node: every record up to and including `sequence` is durable on its side.
    case ack(sequence: UInt64)
    /// Node → aggregator: nothing new; sent on an idle connection so a dead peer is noticed.
    case heartbeat(lastSequence: UInt64)
    /// Either side, before closing: why.
    case goodbye(reason: String)

    /// 2: `hello` carries the window (version 1 had none and one batch in flight).
    public static let currentVersion: UInt16 = 2
    /// No frame may be larger: a length above it is garbage, not a reason to allocate.
    public static let maximumLength = 64 * 1024 * 1024

    enum Kind: UInt8 {
        case hello = 1
        case welcome = 2
        case batch = 3
        case ack = 4
        case heartbeat = 5
        case goodbye = 6
    }
}
