import NoitCore

/// How one run is carried out, as decided by whoever launches it (see `CheckScheduler.Launch`).
public enum RunLaunch: Sendable {
    /// The run is under way, driven by callbacks on the scheduler's loop; it calls its `finish`
    /// exactly once, also after `cancel`. No task is made for it, which at 100,000 runs a
    /// minute is a large share of the node's CPU (a task, a job stream hop and a resumption).
    case started(cancel: @Sendable () -> Void)
    /// The run needs a task: the scheduler runs `body` as a child task on its loop and cancels
    /// that task at the run's deadline.
    case task(@Sendable () async -> CheckResult)
}
