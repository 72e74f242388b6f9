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
