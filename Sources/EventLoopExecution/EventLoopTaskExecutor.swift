import NIOCore

/// Runs tasks on one event loop, so that a check run, the module's socket work and the
/// scheduler's bookkeeping share a thread and a run needs no cross-thread wake-ups; and so
/// that console sessions do their work on the console's own loop instead of Swift's few
/// cooperative threads, where a flood from one client would delay everything else.
///
/// Everything a run does on the loop must be short and non-blocking, as for any NIO handler.
public final class EventLoopTaskExecutor: TaskExecutor, @unchecked Sendable {
    // Immutable after init; EventLoop is Sendable.
    public let loop: any EventLoop

    public init(loop: any EventLoop) {
        self.loop = loop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
