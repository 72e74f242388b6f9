import NoitCore
import Synchronization

/// A clock that moves only when the test says so, for code whose verdict must not depend on
/// how much CPU a loaded machine gives it (idle timeouts, grace periods, pacing).
///
/// Its instants are `ContinuousClock` instants (starting at the real time it was made), so it
/// can stand in wherever code is written against `ContinuousClock.Instant`. Sleepers wake when
/// `advance(by:)` reaches their deadline, or throw `CancellationError` when their task is
/// cancelled.
public final class ManualClock: Clock, MonotonicClock, Sendable {
    public typealias Instant = ContinuousClock.Instant
    public typealias Duration = Swift.Duration

    private struct Sleeper {
        let deadline: Instant
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Instant
        var sleepers: [Int: Sleeper] = [:]
        var nextID = 0
    }

    private let state: Mutex<State>

    public init() {
        state = Mutex(State(now: ContinuousClock.now))
    }

    public var now: Instant { state.withLock { $0.now } }

    public var minimumResolution: Duration { .nanoseconds(1) }

    /// Tasks asleep on this clock whose deadline is at or before `deadline`: a test waits for
    /// the sleeper it means to wake before advancing, or the advance would pass it by.
    public func sleeperCount(dueBy deadline: Instant) -> Int {
        state.withLock { $0.sleepers.values.count { $0.deadline <= deadline } }
    }

    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Result<Void, any Error>? = state.withLock { state in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if deadline <= state.now { return .success(()) }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            state.withLock { $0.sleepers.removeValue(forKey: id) }?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward and wakes every sleeper whose deadline it reached.
    public func advance(by duration: Duration) {
        let due = state.withLock { state -> [Sleeper] in
            state.now = state.now + duration
            let now = state.now
            let due = state.sleepers.filter { $0.value.deadline <= now }
            for id in due.keys { state.sleepers.removeValue(forKey: id) }
            return Array(due.values)
        }
        for sleeper in due { sleeper.continuation.resume() }
    }
}
