import DequeModule
import Synchronization

/// Runs async bodies one at a time, in arrival order. Config changes hold it from the edit
/// until the scheduler has the result, so two operators changing the same check cannot have
/// their re-plans overtake each other.
final class SerialGate: Sendable {
    private struct State {
        var busy = false
        var waiters = Deque<CheckedContinuation<Void, Never>>()
    }

    private let state = Mutex(State())

    func run<Result>(_ body: () async throws -> Result) async rethrows -> Result {
        await enter()
        defer { leave() }
        return try await body()
    }

    private func enter() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let admitted = state.withLock { state in
                if state.busy {
                    state.waiters.append(continuation)
                    return false
                }
                state.busy = true
                return true
            }
            if admitted { continuation.resume() }
        }
    }

    private func leave() {
        let next = state.withLock { state in
            guard let next = state.waiters.popFirst() else {
                state.busy = false
                return nil as CheckedContinuation<Void, Never>?
            }
            return next
        }
        next?.resume()
    }
}
