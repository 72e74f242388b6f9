import NoitCore

/// A module whose runs are driven by callbacks on its event loop, like the original's modules
/// on libevent: the scheduler starts such a run without making a task for it.
///
/// `run` (from `CheckModule`) remains the way to run one check from async code.
public protocol LoopDrivenCheckModule: CheckModule {
    /// Starts one run; `completion` is called exactly once, possibly before this returns.
    /// The returned function cancels the run (its completion still comes, promptly).
    func start(_ check: CheckDefinition, completion: @escaping @Sendable (CheckResult) -> Void) -> @Sendable () -> Void
}

extension LoopDrivenCheckModule {
    /// `run` on top of `start`: waits for the completion; cancelling the task cancels the run.
    func runByStarting(_ check: CheckDefinition) async -> CheckResult {
        let cancellation = StartedRunCancellation()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<CheckResult, Never>) in
                cancellation.started(start(check) { continuation.resume(returning: $0) })
            }
        } onCancel: {
            cancellation.cancel()
        }
    }
}
