import Synchronization

/// A one-shot latch a run races against: the scheduler fires it at the run's deadline (or when
/// the check is removed), and the run's module is cancelled.
final class RunCancellation: Sendable {
    private enum State {
        case idle
        case waiting(CheckedContinuation<Void, Never>)
        case fired
    }

    private let state = Mutex<State>(.idle)

    func fire() {
        let continuation: CheckedContinuation<Void, Never>? = state.withLock { state in
            switch state {
            case .waiting(let c):
                state = .fired
                return c
            case .idle:
                state = .fired
                return nil
            case .fired:
                return nil
            }
        }
        continuation?.resume()
    }

    /// Returns when fired, or when the waiting task is cancelled (the run finished first).
    func wait() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    switch state {
                    case .idle:
                        state = .waiting(continuation)
                        return false
                    case .fired, .waiting:
                        return true
                    }
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            fire()
        }
    }
}
