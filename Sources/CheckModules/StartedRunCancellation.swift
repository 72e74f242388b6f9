import Synchronization

/// Carries a task's cancellation to a run started by callbacks, whichever comes first: the
/// run's cancel function, or the cancellation.
final class StartedRunCancellation: Sendable {
    private enum State {
        case waiting
        case started(@Sendable () -> Void)
        case cancelled
    }

    private let state = Mutex(State.waiting)

    func started(_ cancel: @escaping @Sendable () -> Void) {
        let cancelNow = state.withLock { state -> Bool in
            if case .cancelled = state { return true }
            state = .started(cancel)
            return false
        }
        if cancelNow { cancel() }
    }

    func cancel() {
        let cancel = state.withLock { state -> (@Sendable () -> Void)? in
            defer { state = .cancelled }
            if case .started(let cancel) = state { return cancel }
            return nil
        }
        cancel?()
    }
}
