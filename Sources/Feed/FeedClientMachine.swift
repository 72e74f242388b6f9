/// The aggregator's side of one feed connection, as a pure state machine.
///
/// It acknowledges a batch only when told the batch is durable (`stored`), never on
/// receipt, so a crash between receipt and storage makes the node send it again. Up to
/// `window` batches may be in hand at once; they are acknowledged in the order they came.
public struct FeedClientMachine: Sendable {
    public enum Action: Sendable, Equatable {
        case send(FeedFrame)
        /// Hand the batch to storage; call `stored(through:)` once it is durable. Batches
        /// must be stored in the order they are handed over.
        case store(FeedBatch)
        /// The node accepted us: its name for us and where it will resume.
        case subscribed(subscriber: String, checkpoint: UInt64)
        case close(reason: String)
    }

    private enum State: Sendable, Equatable {
        case awaitingWelcome
        case open
        case closed
    }

    private var state = State.awaitingWelcome
    /// The last record of each batch received and not yet stored, oldest first.
    private var unacknowledged: [UInt64] = []
    /// The last record acknowledged to the node.
    public private(set) var checkpoint: UInt64 = 0
    public let maxRecords: UInt32
    public let maxBytes: UInt32
    public let window: UInt16

    public init(maxRecords: UInt32 = 10_000, maxBytes: UInt32 = 4 * 1024 * 1024, window: UInt16 = 2) {
        self.maxRecords = maxRecords
        self.maxBytes = maxBytes
        self.window = max(1, window)
    }

    public var isClosed: Bool { state == .closed }

    /// What to send once connected.
    public func start() -> [Action] {
        [.send(.hello(version: FeedFrame.currentVersion, maxRecords: maxRecords, maxBytes: maxBytes, window: window))]
    }

    public mutating func received(_ frame: FeedFrame) -> [Action] {
        switch (state, frame) {
        case (.closed, _):
            return []
        case (.awaitingWelcome, .welcome(let version, let subscriber, let checkpoint)):
            guard version == FeedFrame.currentVersion else { return close("node speaks feed protocol version \(version)") }
            self.checkpoint = checkpoint
            state = .open
            return [.subscribed(subscriber: subscriber, checkpoint: checkpoint)]
        case (.awaitingWelcome, _):
            return close("expected welcome, got \(frame.name)")
        case (.open, .batch(let batch)):
            guard let first = batch.records.first?.sequence, let last = batch.lastSequence else {
                return close("empty batch")
            }
            // Records never go backwards: the node resumes after the checkpoint it told us,
            // and each batch follows the one before it.
            let previous = unacknowledged.last ?? checkpoint
            guard first > previous else {
                return close("batch starts at \(first), not after \(previous)")
            }
            guard batch.records.count <= Int(maxRecords) else {
                return close("batch of \(batch.records.count) records exceeds the \(maxRecords) asked for")
            }
            guard unacknowledged.count < Int(window) else {
                return close("more than \(window) unacknowledged batches")
            }
            unacknowledged.append(last)
            return [.store(batch)]
        case (_, .heartbeat):
            return []
        case (_, .goodbye(let reason)):
            state = .closed
            return [.close(reason: "node said goodbye: \(reason)")]
        case (_, .hello), (_, .ack), (_, .welcome):
            return close("\(frame.name) is not a frame a node sends now")
        }
    }

    /// Storage has made every record of the oldest batch in hand, up to `sequence`, durable.
    public mutating func stored(through sequence: UInt64) -> [Action] {
        guard state == .open, unacknowledged.first == sequence else { return [] }
        unacknowledged.removeFirst()
        checkpoint = sequence
        return [.send(.ack(sequence: sequence))]
    }

    public mutating func failed(_ reason: String) -> [Action] {
        close(reason)
    }

    private mutating func close(_ reason: String) -> [Action] {
        guard state != .closed else { return [] }
        state = .closed
        return [.close(reason: reason)]
    }
}
