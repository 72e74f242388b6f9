import NoitCore
import Synchronization

/// Lets the scheduler cancel one run's task at its deadline (or when its check is removed)
/// without a task per run just to wait for that signal.
///
/// The run's task registers its own handle while it executes the module; `fire()` cancels it.
/// The handle is only touched under the lock, and the task unregisters before it finishes, so
/// the handle is never used after the task is gone.
final class RunCancellation: Sendable {
    /// Safe to send across threads under this type's rule: used only under the lock, only
    /// while the task is registered (alive).
    private struct TaskHandle: @unchecked Sendable {
        let task: UnsafeCurrentTask
    }

    private enum State {
        case idle
        case running(TaskHandle)
        case fired
        case finished
    }

    private let state = Mutex<State>(.idle)

    /// Cancels the run: at once if it is executing, or as soon as it starts.
    func fire() {
        state.withLock { state in
            switch state {
            case .running(let handle):
                handle.task.cancel()
                state = .fired
            case .idle:
                state = .fired
            case .fired, .finished:
                break
            }
        }
    }

    /// Runs `body` in the current task, cancellable through `fire()` (a run fired before it
    /// starts executes already cancelled). Not generic, with the bookkeeping in a plain
    /// function, to keep the run's task frame small.
    func run(_ body: @Sendable () async -> CheckResult) async -> CheckResult {
        register()
        let result = await body()
        state.withLock { $0 = .finished }
        return result
    }

    @inline(never)
    private func register() {
        withUnsafeCurrentTask { task in
            guard let task else { return }
            let handle = TaskHandle(task: task)
            state.withLock { state in
                switch state {
                case .idle: state = .running(handle)
                case .fired: handle.task.cancel()
                case .running, .finished: break
                }
            }
        }
    }
}
