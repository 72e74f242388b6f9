import Foundation
import NoitCore
import Synchronization

/// Fans each recorded result out to live observers (tests now; the console's `watch` and
/// live feeds later). Slow observers drop their oldest results rather than slow the scheduler.
public final class ResultBroadcast: Sendable {
    public struct Observed: Sendable {
        public var definition: CheckDefinition
        public var result: CheckResult
        public var time: Timestamp
    }

    private let observers = Mutex<[UUID: AsyncStream<Observed>.Continuation]>([:])

    public init() {}

    /// A stream of results from now on; it ends when the consumer stops iterating.
    public func subscribe(bufferingNewest limit: Int = 1_000) -> AsyncStream<Observed> {
        let (stream, continuation) = AsyncStream.makeStream(of: Observed.self, bufferingPolicy: .bufferingNewest(limit))
        let id = UUID()
        continuation.onTermination = { [weak self] _ in
            _ = self?.observers.withLock { $0.removeValue(forKey: id) }
        }
        observers.withLock { $0[id] = continuation }
        return stream
    }

    func publish(_ observed: Observed) {
        let current = observers.withLock { Array($0.values) }
        for continuation in current { continuation.yield(observed) }
    }
}
