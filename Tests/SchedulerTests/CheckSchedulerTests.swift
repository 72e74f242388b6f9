import Foundation
import Logging
import NIOCore
import NIOPosix
import NoitCore
import ServiceLifecycle
import Synchronization
import Testing

@testable import Scheduler

/// The driver on a real event loop with the real clock: results are awaited as they arrive.
@Suite("CheckScheduler on an event loop")
struct CheckSchedulerTests {
    /// A loop of its own: on the shared singleton, hundreds of tests starting at once on two
    /// cores, a run once began only after its 2 s deadline.
    private static let schedulerLoops = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    struct Recorded: Sendable {
        var run: PlannedRun
        var result: CheckResult
    }

    func makeScheduler(
        execute: @escaping @Sendable (PlannedRun) async -> CheckResult
    ) -> (CheckScheduler, AsyncStream<Recorded>) {
        makeScheduler(launch: { run, _ in .task { await execute(run) } })
    }

    func makeScheduler(
        launch: @escaping CheckScheduler.Launch
    ) -> (CheckScheduler, AsyncStream<Recorded>) {
        let (stream, continuation) = AsyncStream.makeStream(of: Recorded.self)
        let scheduler = CheckScheduler(
            loop: Self.schedulerLoops.next(),
            logger: Logger(label: "test"),
            launch: launch,
            record: { run, result, _ in continuation.yield(Recorded(run: run, result: result)) })
        return (scheduler, stream)
    }

    @Test("runs a check every period, on plan")
    func runsOnPlan() async throws {
        let (scheduler, results) = makeScheduler { _ in
            CheckResult(availability: .available, state: .good, status: "ok")
        }
        let id = UUID()
        // A run may start late, and this test is about the plan, not punctuality (that is
        // measured in Benchmarks/): a timeout only a hang reaches (60 s; a starved test process
        // can stall for 20 s). Periods due while a run is still going are skipped, and the
        // plan stays whole periods apart.
        await scheduler.upsert([SchedulableCheck(id: id, periodMilliseconds: 2_000, timeoutMilliseconds: 60_000)])
        await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await scheduler.run() }
            var planned = [Timestamp]()
            for await recorded in results {
                #expect(recorded.result.status == "ok")
                planned.append(recorded.run.planned)
                if planned.count == 4 { break }
            }
            // Consecutive runs sit on the plan: whole periods apart (a heavily loaded machine may skip one).
            for (a, b) in zip(planned, planned.dropFirst()) { #expect(b > a && (b - a) % 2_000 == 0) }
            #expect(planned.allSatisfy { $0.millisecondsSinceEpoch % 2_000 == planned[0].millisecondsSinceEpoch % 2_000 })
            let stats = await scheduler.statistics()
            #expect(stats.counters.started >= 4)
            #expect(stats.lateness.totalCount >= 4)
            group.cancelAll()
        }
    }

    @Test("a run that hangs past its timeout is cancelled and recorded as a timeout")
    func timeoutCancelsRun() async throws {
        let (cancelled, cancelledContinuation) = AsyncStream.makeStream(of: Void.self)
        let (scheduler, results) = makeScheduler { _ in
            // Hangs until cancelled; the scheduler must cancel it at the deadline.
            let (never, _) = AsyncStream.makeStream(of: Int.self)
            for await _ in never {}
            cancelledContinuation.yield()
            return CheckResult(availability: .available, state: .good, status: "finished")
        }
        await scheduler.upsert([SchedulableCheck(id: UUID(), periodMilliseconds: 1_000, timeoutMilliseconds: 30)])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await scheduler.run() }
            var iterator = results.makeAsyncIterator()
            let first = try #require(await iterator.next())
            #expect(first.result.status == "timeout")
            #expect(first.result.availability == .unavailable)
            #expect(first.result.state == .bad)
            var cancelledIterator = cancelled.makeAsyncIterator()
            #expect(await cancelledIterator.next() != nil)
            group.cancelAll()
        }
    }

    @Test("graceful shutdown lets the in-flight run finish and record")
    func gracefulShutdownDrains() async throws {
        let (started, startedContinuation) = AsyncStream.makeStream(of: Void.self)
        let (release, releaseContinuation) = AsyncStream.makeStream(of: Void.self)
        let (scheduler, results) = makeScheduler { _ in
            startedContinuation.yield()
            for await _ in release { break }
            return CheckResult(availability: .available, state: .good, status: "drained")
        }
        // A timeout only a hang reaches between the start and the result (120 s; a starved test
        // process can stall for 20 s).
        await scheduler.upsert([SchedulableCheck(id: UUID(), periodMilliseconds: 10_000, timeoutMilliseconds: 120_000)])
        let group = ServiceGroup(
            configuration: .init(services: [scheduler], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var startedIterator = started.makeAsyncIterator()
            _ = await startedIterator.next()
            await group.triggerGracefulShutdown()
            releaseContinuation.yield()
            var iterator = results.makeAsyncIterator()
            let recorded = try #require(await iterator.next())
            #expect(recorded.result.status == "drained")
            try await tasks.waitForAll()
        }
    }

    // MARK: Runs driven by callbacks (no task)

    /// Plans one check, runs the scheduler until `count` results are recorded, and returns them
    /// with the statistics at that moment.
    func firstRecorded(
        _ count: Int, by scheduler: CheckScheduler, from results: AsyncStream<Recorded>,
        periodMilliseconds: Int64, timeoutMilliseconds: Int64
    ) async throws -> (recorded: [Recorded], statistics: SchedulerStatistics) {
        await scheduler.upsert([
            SchedulableCheck(id: UUID(), periodMilliseconds: periodMilliseconds, timeoutMilliseconds: timeoutMilliseconds)
        ])
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await scheduler.run() }
            defer { group.cancelAll() }
            var recorded = [Recorded]()
            var iterator = results.makeAsyncIterator()
            while recorded.count < count { recorded.append(try #require(await iterator.next())) }
            return (recorded, await scheduler.statistics())
        }
    }

    @Test("a callback run reports through finish from another thread and is recorded")
    func callbackRunFinishesLater() async throws {
        let (scheduler, results) = makeScheduler { run, finish in
            // Finishes on some other thread, after launch has returned.
            Task.detached { finish(CheckResult(availability: .available, state: .good, status: "called back")) }
            return .started(cancel: {})
        }
        // A timeout only a hang reaches before the detached task calls back (60 s; a starved
        // test process can stall for 20 s).
        let (recorded, stats) = try await firstRecorded(
            1, by: scheduler, from: results, periodMilliseconds: 1_000, timeoutMilliseconds: 60_000)
        #expect(recorded[0].result.status == "called back")
        #expect(stats.counters.started >= 1)
        #expect(stats.lateness.totalCount >= 1)
    }

    @Test("a callback run that finishes inside launch is recorded once per period and never cancelled")
    func callbackRunFinishesAtOnce() async throws {
        let cancels = Mutex(0)
        let (scheduler, results) = makeScheduler { run, finish in
            finish(CheckResult(availability: .available, state: .good, status: "at once"))
            return .started(cancel: { cancels.withLock { $0 += 1 } })
        }
        let (recorded, _) = try await firstRecorded(
            2, by: scheduler, from: results, periodMilliseconds: 300, timeoutMilliseconds: 100)
        #expect(recorded.allSatisfy { $0.result.status == "at once" })
        #expect(recorded[1].run.planned > recorded[0].run.planned)
        // Past both deadlines: a finished run is not cancelled at its timeout.
        #expect(cancels.withLock { $0 } == 0)
    }

    @Test("a callback run past its deadline is cancelled and recorded as a timeout, not as its late result")
    func callbackRunTimesOut() async throws {
        let (cancelled, cancelledContinuation) = AsyncStream.makeStream(of: Void.self)
        let (scheduler, results) = makeScheduler { run, finish in
            // Never finishes on its own; cancelling makes it report at once, inside the cancel.
            .started(cancel: {
                cancelledContinuation.yield()
                finish(CheckResult(availability: .available, state: .good, status: "cancelled late"))
            })
        }
        let (recorded, stats) = try await firstRecorded(
            2, by: scheduler, from: results, periodMilliseconds: 300, timeoutMilliseconds: 30)
        for run in recorded {
            #expect(run.result.status == "timeout")
            #expect(run.result.availability == .unavailable)
        }
        #expect(recorded[1].run.planned > recorded[0].run.planned)
        var cancelledIterator = cancelled.makeAsyncIterator()
        #expect(await cancelledIterator.next() != nil)
        #expect(stats.counters.timedOut >= 2)
    }
}
