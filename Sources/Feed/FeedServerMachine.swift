/// The node's side of one feed connection, as a pure state machine: frames and journal
/// reads in, actions out. The I/O handler executes the actions and never decides anything.
///
/// The node keeps at most one unacknowledged batch in flight and advances the subscriber's
/// checkpoint only on an `ack` naming exactly the last record of that batch; anything else
/// ends the connection. Reconnecting resumes after the checkpoint, so a batch whose ack was
/// lost is sent again: the aggregator sees every record at least once and stores it once.
public struct FeedServerMachine: Sendable {
    public struct Limits: Sendable, Equatable {
        /// Records per batch (the original's cap).
        public var maxRecords: Int
        /// Payload bytes per batch.
        public var maxBytes: Int

        public init(maxRecords: Int = 10_000, maxBytes: Int = 4 * 1024 * 1024) {
            self.maxRecords = maxRecords
            self.maxBytes = maxBytes
        }
    }

    public enum Action: Sendable, Equatable {
        case send(FeedFrame)
        /// Read the subscriber's next batch from the journal and pass it to `batchRead`.
        case readBatch(maxRecords: Int, maxBytes: Int)
        /// Move the subscriber's checkpoint (durably) to `sequence`.
        case advance(to: UInt64)
        /// Send `goodbye` with the reason if possible, log it with the peer, close.
        case close(reason: String)
    }

    private enum State: Sendable, Equatable {
        case awaitingHello
        /// A journal read is in flight.
        case reading
        /// Nothing to send; waiting for the journal to grow.
        case idle
        case awaitingAck(last: UInt64)
        case closed
    }

    public let subscriber: String
    private var state = State.awaitingHello
    private var limits: Limits
    /// The last record the aggregator acknowledged.
    public private(set) var checkpoint: UInt64

    public init(subscriber: String, checkpoint: UInt64, limits: Limits = Limits()) {
        self.subscriber = subscriber
        self.checkpoint = checkpoint
        self.limits = limits
    }

    public var isClosed: Bool { state == .closed }

    public mutating func received(_ frame: FeedFrame) -> [Action] {
        switch (state, frame) {
        case (.closed, _):
            return []
        case (.awaitingHello, .hello(let version, let maxRecords, let maxBytes)):
            guard version == FeedFrame.currentVersion else {
                return close("unsupported feed protocol version \(version) (this node speaks \(FeedFrame.currentVersion))")
            }
            limits.maxRecords = max(1, min(limits.maxRecords, Int(maxRecords)))
            limits.maxBytes = max(1, min(limits.maxBytes, Int(maxBytes)))
            state = .reading
            return [
                .send(.welcome(version: FeedFrame.currentVersion, subscriber: subscriber, checkpoint: checkpoint)),
                .readBatch(maxRecords: limits.maxRecords, maxBytes: limits.maxBytes),
            ]
        case (.awaitingHello, _):
            return close("expected hello, got \(frame.name)")
        case (.awaitingAck(let last), .ack(let sequence)):
            guard sequence == last else {
                return close("ack \(sequence) does not match the last record sent, \(last)")
            }
            checkpoint = last
            state = .reading
            return [.advance(to: last), .readBatch(maxRecords: limits.maxRecords, maxBytes: limits.maxBytes)]
        case (_, .ack(let sequence)):
            return close("ack \(sequence) with no batch outstanding")
        case (_, .goodbye(let reason)):
            state = .closed
            return [.close(reason: "peer said goodbye: \(reason)")]
        case (_, .hello):
            return close("hello sent twice")
        case (_, .welcome), (_, .batch), (_, .heartbeat):
            return close("\(frame.name) is not a frame an aggregator sends")
        }
    }

    /// The journal read asked for by `readBatch`.
    public mutating func batchRead(_ batch: FeedBatch) -> [Action] {
        guard state == .reading else { return [] }
        guard let last = batch.lastSequence else {
            state = .idle
            return []
        }
        state = .awaitingAck(last: last)
        return [.send(.batch(batch))]
    }

    /// The journal grew (or a poll found it might have).
    public mutating func dataAvailable() -> [Action] {
        guard state == .idle else { return [] }
        state = .reading
        return [.readBatch(maxRecords: limits.maxRecords, maxBytes: limits.maxBytes)]
    }

    /// The connection has been quiet for a heartbeat interval.
    public mutating func heartbeatDue() -> [Action] {
        guard state == .idle else { return [] }
        return [.send(.heartbeat(lastSequence: checkpoint))]
    }

    /// The byte stream could not be decoded, or the journal failed.
    public mutating func failed(_ reason: String) -> [Action] {
        close(reason)
    }

    private mutating func close(_ reason: String) -> [Action] {
        guard state != .closed else { return [] }
        state = .closed
        return [.close(reason: reason)]
    }
}
