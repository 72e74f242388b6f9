/// The aggregator's side of one feed connection, as a pure state machine.
///
/// It acknowledges a batch only when told the batch is durable (`stored`), never on
/// receipt, so a crash between receipt and storage makes the node send it again.
public struct FeedClientMachine: Sendable {
    public enum Action: Sendable, Equatable {
        case send(FeedFrame)
        /// Hand the batch to storage; call `stored(through:)` once it is durable.
        case store(FeedBatch)
        /// The node accepted us: its name for us and where it will resume.
        case subscribed(subscriber: String, checkpoint: UInt64)
        case close(reason: String)
    }

    private enum State: Sendable, Equatable {
        case awaitingWelcome
        case ready
        case storing(last: UInt64)
        case closed
    }

    private var state = State.awaitingWelcome
    /// The last record acknowledged to the node.
    public private(set) var checkpoint: UInt64 = 0
    public let maxRecords: UInt32
    public let maxBytes: UInt32

    public init(maxRecords: UInt32 = 10_000, maxBytes: UInt32 = 4 * 1024 * 1024) {
        self.maxRecords = maxRecords
        self.maxBytes = maxBytes
    }

    public var isClosed: Bool { state == .closed }

    /// What to send once connected.
    public func start() -> [Action] {
        [.send(.hello(version: FeedFrame.currentVersion, maxRecords: maxRecords, maxBytes: maxBytes))]
    }

    public mutating func received(_ frame: FeedFrame) -> [Action] {
        switch (state, frame) {
        case (.closed, _):
            return []
        case (.awaitingWelcome, .welcome(let version, let subscriber, let checkpoint)):
            guard version == FeedFrame.currentVersion else { return close("node speaks feed protocol version \(version)") }
            self.checkpoint = checkpoint
            state = .ready
            return [.subscribed(subscriber: subscriber, checkpoint: checkpoint)]
        case (.awaitingWelcome, _):
            return close("expected welcome, got \(frame.name)")
        case (.ready, .batch(let batch)):
            guard let first = batch.records.first?.sequence, let last = batch.lastSequence else {
                return close("empty batch")
            }
            // Records never go backwards: the node resumes after the checkpoint it told us.
            guard first > checkpoint else {
                return close("batch starts at \(first), not after the checkpoint \(checkpoint)")
            }
            guard batch.records.count <= Int(maxRecords) else {
                return close("batch of \(batch.records.count) records exceeds the \(maxRecords) asked for")
            }
            state = .storing(last: last)
            return [.store(batch)]
        case (.storing, .batch):
            return close("a second batch before the first was acknowledged")
        case (_, .heartbeat):
            return []
        case (_, .goodbye(let reason)):
            state = .closed
            return [.close(reason: "node said goodbye: \(reason)")]
        case (_, .hello), (_, .ack), (_, .welcome):
            return close("\(frame.name) is not a frame a node sends now")
        }
    }

    /// Storage has made every record of the batch up to `sequence` durable.
    public mutating func stored(through sequence: UInt64) -> [Action] {
        guard case .storing(let last) = state, last == sequence else { return [] }
        checkpoint = last
        state = .ready
        return [.send(.ack(sequence: last))]
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
