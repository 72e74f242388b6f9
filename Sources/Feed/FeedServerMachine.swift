/// The node's side of one feed connection, as a pure state machine: frames and journal
/// reads in, actions out. The I/O handler executes the actions and never decides anything.
///
/// The node keeps at most `window` unacknowledged batches in flight (the aggregator's
/// `hello` asks for it, capped by `Limits.maxWindow`) and advances the subscriber's
/// checkpoint only on an `ack` naming exactly the last record of the oldest of them;
/// anything else ends the connection. Reconnecting resumes after the checkpoint, so batches
/// whose acks were lost are sent again: the aggregator sees every record at least once and
/// stores it once.
public struct FeedServerMachine: Sendable {
    public struct Limits: Sendable, Equatable {
        /// Records per batch (the original's cap).
        public var maxRecords: Int
        /// Payload bytes per batch.
        public var maxBytes: Int
        /// Unacknowledged batches per connection, whatever the aggregator asks for.
        public var maxWindow: Int

        public init(maxRecords: Int = 25_000, maxBytes: Int = 10 * 1024 * 1024, maxWindow: Int = 4) {
            self.maxRecords = maxRecords
            self.maxBytes = maxBytes
            self.maxWindow = maxWindow
        }
    }

    public enum Action: Sendable, Equatable {
        case send(FeedFrame)
        /// Read the subscriber's next batch, the records after `after`, from the journal and
        /// pass it to `batchRead`.
        case readBatch(after: UInt64, maxRecords: Int, maxBytes: Int)
        /// Move the subscriber's checkpoint (durably) to `sequence`.
        case advance(to: UInt64)
        /// Send `goodbye` with the reason if possible, log it with the peer, close.
        case close(reason: String)
    }

    private enum State: Sendable, Equatable {
        case awaitingHello
        case open
        case closed
    }

    public let subscriber: String
    private var state = State.awaitingHello
    private var limits: Limits
    private var window = 1
    /// The last record of each batch sent and not yet acknowledged, oldest first.
    private var outstanding: [UInt64] = []
    /// A journal read is in flight.
    private var reading = false
    /// The last read found nothing new: wait for `dataAvailable`.
    private var drained = false
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
        case (.awaitingHello, .hello(let version, let maxRecords, let maxBytes, let window)):
            guard (1...FeedFrame.currentVersion).contains(version) else {
                return close("unsupported feed protocol version \(version) (this node speaks 1 to \(FeedFrame.currentVersion))")
            }
            limits.maxRecords = max(1, min(limits.maxRecords, Int(maxRecords)))
            limits.maxBytes = max(1, min(limits.maxBytes, Int(maxBytes)))
            self.window = max(1, min(limits.maxWindow, Int(window)))
            state = .open
            return [.send(.welcome(version: version, subscriber: subscriber, checkpoint: checkpoint))] + readIfRoom()
        case (.awaitingHello, _):
            return close("expected hello, got \(frame.name)")
        case (.open, .ack(let sequence)):
            guard let oldest = outstanding.first else {
                return close("ack \(sequence) with no batch outstanding")
            }
            guard sequence == oldest else {
                return close("ack \(sequence) does not match the last record of the oldest batch sent, \(oldest)")
            }
            outstanding.removeFirst()
            checkpoint = sequence
            // Look again now rather than at the next poll: records journaled while the
            // aggregator stored this batch go out at once, as they did with one batch in flight.
            drained = false
            return [.advance(to: sequence)] + readIfRoom()
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
        guard state == .open, reading else { return [] }
        reading = false
        guard let last = batch.lastSequence else {
            drained = true
            return []
        }
        outstanding.append(last)
        return [.send(.batch(batch))] + readIfRoom()
    }

    /// The journal grew (or a poll found it might have).
    public mutating func dataAvailable() -> [Action] {
        guard state == .open, drained else { return [] }
        drained = false
        return readIfRoom()
    }

    /// The connection has been quiet for a heartbeat interval.
    public mutating func heartbeatDue() -> [Action] {
        guard state == .open, drained, outstanding.isEmpty, !reading else { return [] }
        return [.send(.heartbeat(lastSequence: checkpoint))]
    }

    /// The byte stream could not be decoded, or the journal failed.
    public mutating func failed(_ reason: String) -> [Action] {
        close(reason)
    }

    /// The next read, when the window has room and the journal may have more.
    private mutating func readIfRoom() -> [Action] {
        guard state == .open, !reading, !drained, outstanding.count < window else { return [] }
        reading = true
        return [.readBatch(after: outstanding.last ?? checkpoint, maxRecords: limits.maxRecords, maxBytes: limits.maxBytes)]
    }

    private mutating func close(_ reason: String) -> [Action] {
        guard state != .closed else { return [] }
        state = .closed
        return [.close(reason: reason)]
    }
}
