import Foundation
import NoitCore
import ServiceLifecycle
import Synchronization

/// Hands each stored status and metric to the API's live subscribers of its check
/// (`/api/live`), right after the batch holding it committed. A subscriber that reads slowly
/// loses its oldest undelivered records rather than growing stratcond's memory.
public final class LiveHub: Service, Sendable {
    private struct Subscribers {
        var next = 0
        var byCheck: [UUID: [Int: AsyncStream<Record>.Continuation]] = [:]
        var closed = false
    }

    public static let bufferedRecords = 1000
    private let subscribers = Mutex(Subscribers())

    public init() {}

    /// The records of `check` stored from now on, until the stream is dropped or stratcond stops.
    public func subscribe(_ check: UUID) -> AsyncStream<Record> {
        let (stream, continuation) = AsyncStream.makeStream(of: Record.self, bufferingPolicy: .bufferingNewest(Self.bufferedRecords))
        let id: Int? = subscribers.withLock { state in
            guard !state.closed else { return nil }
            state.next += 1
            state.byCheck[check, default: [:]][state.next] = continuation
            return state.next
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            self?.subscribers.withLock { state in
                state.byCheck[check]?[id] = nil
                if state.byCheck[check]?.isEmpty == true { state.byCheck[check] = nil }
            }
        }
        return stream
    }

    public var subscriberCount: Int { subscribers.withLock { $0.byCheck.values.reduce(0) { $0 + $1.count } } }

    /// Called with each committed batch; statuses and metrics reach their check's subscribers.
    public func publish(_ records: [Record]) {
        let targets = subscribers.withLock { state -> [UUID: [AsyncStream<Record>.Continuation]] in
            guard !state.byCheck.isEmpty else { return [:] }
            return state.byCheck.mapValues { Array($0.values) }
        }
        guard !targets.isEmpty else { return }
        for record in records {
            switch record {
            case .status, .metric:
                for continuation in targets[record.uuid] ?? [] { continuation.yield(record) }
            case .check, .delete:
                continue
            }
        }
    }

    /// Ends every stream at shutdown, so open `/api/live` responses finish and the HTTP
    /// server can stop.
    public func run() async throws {
        try? await gracefulShutdown()
        finishAll()
    }

    /// Ends every stream and refuses new subscribers.
    public func finishAll() {
        let all = subscribers.withLock { state in
            state.closed = true
            defer { state.byCheck = [:] }
            return state.byCheck.values.flatMap(\.values)
        }
        for continuation in all { continuation.finish() }
    }
}
