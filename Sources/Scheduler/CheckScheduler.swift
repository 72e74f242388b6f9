import Foundation
import Logging
import Metrics
import EventLoopExecution
import NIOCore
import NoitCore
import ServiceLifecycle
import Synchronization

/// Runs a `ScheduleMachine` on one event loop: arms a single timer for the machine's next
/// wake-up, starts runs (as callbacks on the loop, or as child tasks), cancels them at their
/// deadline, and hands every result to `record` on the loop, in the order the machine decided.
///
/// All machine state is confined to `loop`; public methods hop onto it. Graceful shutdown stops
/// new runs, lets in-flight runs finish (or time out), then returns from `run()`.
public final class CheckScheduler: Service, @unchecked Sendable {
    /// Starts one run, on the scheduler's loop. A run that says `.started` reports through
    /// `finish` (once, on any thread; at once is allowed).
    public typealias Launch = @Sendable (PlannedRun, _ finish: @escaping @Sendable (CheckResult) -> Void) -> RunLaunch
    /// Receives every recorded result on the scheduler's loop (timeouts included).
    public typealias Record = @Sendable (PlannedRun, CheckResult, _ startedMicroseconds: Int64) -> Void

    struct Job: Sendable {
        var run: PlannedRun
        var cancellation: RunCancellation
        var body: @Sendable () async -> CheckResult
    }

    /// Stops a run in flight: the task's cancellation, or the callback run's own cancel.
    private enum RunningHandle {
        case task(RunCancellation)
        case callbacks(@Sendable () -> Void)

        func fire() {
            switch self {
            case .task(let cancellation): cancellation.fire()
            case .callbacks(let cancel): cancel()
            }
        }
    }

    /// A callback run's result, held back while the loop is inside `perform`.
    private struct DeferredFinish {
        var run: PlannedRun
        var result: CheckResult
        var startedMicroseconds: Int64
    }

    public let loop: any EventLoop
    /// Runs start as tasks on `loop` itself (see `EventLoopTaskExecutor`).
    private let runExecutor: EventLoopTaskExecutor
    private let clock: any WallClock
    private let launch: Launch
    private let record: Record
    private let logger: Logger

    // Loop-confined.
    private var machine: ScheduleMachine
    private var timer: Scheduled<Void>?
    private var timerAt: Timestamp?
    private var isRunning = false
    private var running: [RunID: RunningHandle] = [:]
    /// Depth of `perform` calls; callback runs that finish inside one (at once, or when a
    /// timeout cancels them) are recorded after it, so the machine sees them in order.
    private var performDepth = 0
    private var deferredFinishes: [DeferredFinish] = []
    private var startedAt: [RunID: Int64] = [:]

    private let jobs: AsyncStream<Job>
    private let jobsContinuation: AsyncStream<Job>.Continuation
    private let lateness: Mutex<SchedulerStatistics>

    private let startedCounter: Counter
    private let timeoutCounter: Counter
    private let skippedCounter: Counter
    private let missedCounter: Counter
    private let latenessTimer: Metrics.Timer

    public init(
        loop: any EventLoop,
        clock: any WallClock = SystemWallClock(),
        configuration: ScheduleMachine.Configuration = .init(),
        metricsFactory: any MetricsFactory = MetricsSystem.factory,
        logger: Logger,
        launch: @escaping Launch,
        record: @escaping Record
    ) {
        self.loop = loop
        self.runExecutor = EventLoopTaskExecutor(loop: loop)
        self.clock = clock
        self.launch = launch
        self.record = record
        self.logger = logger
        self.machine = ScheduleMachine(configuration: configuration)
        (self.jobs, self.jobsContinuation) = AsyncStream.makeStream(of: Job.self)
        self.lateness = Mutex(SchedulerStatistics())
        self.startedCounter = Counter(label: "noit_scheduler_runs_started_total", factory: metricsFactory)
        self.timeoutCounter = Counter(label: "noit_scheduler_runs_timed_out_total", factory: metricsFactory)
        self.skippedCounter = Counter(label: "noit_scheduler_runs_skipped_running_total", factory: metricsFactory)
        self.missedCounter = Counter(label: "noit_scheduler_periods_missed_total", factory: metricsFactory)
        self.latenessTimer = Metrics.Timer(label: "noit_scheduler_start_lateness", factory: metricsFactory)
    }

    // MARK: Control (any thread)

    /// Adds or re-plans checks; only the given ones are touched.
    public func upsert(_ checks: [SchedulableCheck]) async {
        await onLoop {
            let now = self.clock.now()
            for check in checks { self.perform(self.machine.update(check, now: now)) }
            self.rearm()
        }
    }

    public func remove(_ ids: [UUID]) async {
        await onLoop {
            let now = self.clock.now()
            for id in ids { self.perform(self.machine.remove(id, now: now)) }
            self.rearm()
        }
    }

    public func nextRun(of id: UUID) async -> Timestamp? {
        await onLoop { self.machine.nextRun(of: id) }
    }

    public func contains(_ id: UUID) async -> Bool {
        await onLoop { self.machine.contains(id) }
    }

    public func timingSlots() async -> String {
        await onLoop { self.machine.slots.timingSlotsText }
    }

    public func statistics() async -> SchedulerStatistics {
        let (count, counters) = await onLoop { (self.machine.checkCount, self.machine.counters) }
        var snapshot = lateness.withLock { $0 }
        snapshot.checkCount = count
        snapshot.counters = counters
        return snapshot
    }

    // MARK: Service

    public func run() async throws {
        await onLoop {
            self.machine.skipOverdueFirstRuns(now: self.clock.now())
            self.isRunning = true
            self.rearm()
        }
        await withGracefulShutdownHandler {
            // The loop that takes jobs off the stream runs on the check loop too: otherwise every
            // start would wake a cooperative thread, which would then wake the loop again to
            // enqueue the run (two thread hand-offs per run, a large share of the CPU at scale).
            await withTaskExecutorPreference(runExecutor) {
                await withDiscardingTaskGroup { group in
                    for await job in jobs {
                        group.addTask(executorPreference: runExecutor) { await self.runJob(job) }
                    }
                }
            }
        } onGracefulShutdown: {
            self.loop.execute { self.beginDraining() }
        }
        await onLoop {
            self.timer?.cancel()
            self.timer = nil
            self.timerAt = nil
        }
    }

    // MARK: Loop side

    private func wake() {
        timer = nil
        timerAt = nil
        perform(machine.tick(now: clock.now()))
        rearm()
    }

    private func perform(_ actions: [ScheduleAction]) {
        performDepth += 1
        defer {
            performDepth -= 1
            if performDepth == 0 { recordDeferredFinishes() }
        }
        for action in actions {
            switch action {
            case .start(let run):
                startedCounter.increment()
                start(run)
            case .timedOut(let run):
                running.removeValue(forKey: run.runID)?.fire()
                timeoutCounter.increment()
                let started = startedAt[run.runID] ?? run.planned.millisecondsSinceEpoch * 1000
                let duration = max(0, clock.nowMicroseconds() - started) / 1000
                record(run, .timedOut(afterMilliseconds: duration), started)
            case .abandon(let run):
                running.removeValue(forKey: run.runID)?.fire()
                startedAt.removeValue(forKey: run.runID)
            case .skippedStillRunning(let id, let planned):
                skippedCounter.increment()
                logger.debug("check still running when due; period skipped", metadata: ["check": "\(id)", "planned": "\(planned)"])
            case .missedPeriods(let id, let count):
                missedCounter.increment(by: count)
                logger.warning("node fell behind; periods skipped", metadata: ["check": "\(id)", "missed": "\(count)"])
            }
        }
    }

    /// Points the single timer at the machine's next wake-up; every event ends here, so this is
    /// also where a drain notices that the last run has finished.
    private func rearm() {
        defer { finishIfDrained() }
        guard isRunning else { return }
        guard let next = machine.nextWakeUp else {
            timer?.cancel()
            timer = nil
            timerAt = nil
            return
        }
        if timerAt == next { return }
        timer?.cancel()
        timerAt = next
        let delay = next.millisecondsSinceEpoch * 1000 - clock.nowMicroseconds()
        timer = loop.scheduleTask(in: .microseconds(max(0, delay))) { [self] in wake() }
    }

    private func beginDraining() {
        machine.beginDraining()
        rearm()
    }

    private func finishIfDrained() {
        if machine.isDraining && machine.occupiedCount == 0 {
            jobsContinuation.finish()
        }
    }

    private func start(_ run: PlannedRun) {
        let started = clock.nowMicroseconds()
        let finish: @Sendable (CheckResult) -> Void = { [self] result in
            if loop.inEventLoop {
                callbackRunEnded(run, result: result, startedMicroseconds: started)
            } else {
                loop.execute { self.callbackRunEnded(run, result: result, startedMicroseconds: started) }
            }
        }
        switch launch(run, finish) {
        case .started(let cancel):
            noteStart(of: run, at: started)
            startedAt[run.runID] = started
            // A run that already finished (at once, inside `launch`) is waiting in
            // `deferredFinishes` and must not be cancelled later.
            if !deferredFinishes.contains(where: { $0.run.runID == run.runID }) {
                running[run.runID] = .callbacks(cancel)
            }
        case .task(let body):
            let cancellation = RunCancellation()
            running[run.runID] = .task(cancellation)
            jobsContinuation.yield(Job(run: run, cancellation: cancellation, body: body))
        }
    }

    private func callbackRunEnded(_ run: PlannedRun, result: CheckResult, startedMicroseconds: Int64) {
        if performDepth > 0 {
            deferredFinishes.append(DeferredFinish(run: run, result: result, startedMicroseconds: startedMicroseconds))
        } else {
            finished(run, result: result, startedMicroseconds: startedMicroseconds)
        }
    }

    private func recordDeferredFinishes() {
        while !deferredFinishes.isEmpty {
            let deferred = deferredFinishes.removeFirst()
            finished(deferred.run, result: deferred.result, startedMicroseconds: deferred.startedMicroseconds)
        }
    }

    private func finished(_ run: PlannedRun, result: CheckResult?, startedMicroseconds: Int64) {
        running.removeValue(forKey: run.runID)
        startedAt.removeValue(forKey: run.runID)
        let completion = machine.runFinished(run.runID, checkID: run.checkID)
        if case .record(let recorded) = completion, let result {
            record(recorded, result, startedMicroseconds)
        }
        rearm()
    }

    /// Lateness (actual minus planned start) of every run, for the histogram and `/metrics`.
    private func noteStart(of run: PlannedRun, at started: Int64) {
        let late = max(0, started - run.planned.millisecondsSinceEpoch * 1000)
        lateness.withLock { _ = $0.lateness.record(UInt64(late)) }
        latenessTimer.recordMicroseconds(late)
    }

    // MARK: Task side

    /// Bookkeeping before and after happens in plain functions so that the run's task frame
    /// holds little more than the job (see `TCPModule.run` for why frame size matters).
    @inline(never)
    private func runJob(_ job: Job) async {
        let started = runStarting(job)
        let result: CheckResult? = await job.cancellation.run(job.body)
        runEnded(job, result: result, startedMicroseconds: started)
    }

    @inline(never)
    private func runStarting(_ job: Job) -> Int64 {
        let started = clock.nowMicroseconds()
        noteStart(of: job.run, at: started)
        onLoopSoon { self.startedAt[job.run.runID] = started }
        return started
    }

    @inline(never)
    private func runEnded(_ job: Job, result: CheckResult?, startedMicroseconds started: Int64) {
        onLoopSoon { self.finished(job.run, result: result, startedMicroseconds: started) }
    }

    /// Runs `body` on the loop: right here when the task already runs there (the usual case,
    /// since runs execute on `runExecutor`), which saves a closure and a queue round trip per call.
    private func onLoopSoon(_ body: @escaping @Sendable () -> Void) {
        if loop.inEventLoop { body() } else { loop.execute(body) }
    }

    private func onLoop<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        if loop.inEventLoop { return body() }
        return try! await loop.submit(body).get()
    }
}
