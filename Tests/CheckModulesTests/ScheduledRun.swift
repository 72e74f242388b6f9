import Foundation
import Logging
import NIOCore
import NIOPosix
import NoitCore
import Scheduler
import Testing

@testable import CheckModules

/// Runs one check under the real `CheckScheduler` (one-second period, the check's own timeout)
/// and returns the first result it records, with the scheduler's statistics at that moment.
enum ScheduledRun {
    /// `loopDriven` launches the run as the node does: without a task when the module can.
    static func firstResult(
        of definition: CheckDefinition, registry: ModuleRegistry,
        on loop: any EventLoop = MultiThreadedEventLoopGroup.singleton.next(), loopDriven: Bool = false
    ) async throws -> (result: CheckResult, statistics: SchedulerStatistics) {
        let (results, continuation) = AsyncStream.makeStream(of: CheckResult.self)
        let prepared = registry.prepare(definition)
        let scheduler = CheckScheduler(
            loop: loop, logger: Logger(label: "test"),
            launch: { _, finish in
                if loopDriven, let start = prepared.start { return .started(cancel: start(finish)) }
                return .task(prepared.run)
            },
            record: { _, result, _ in continuation.yield(result) })
        await scheduler.upsert([
            SchedulableCheck(id: definition.uuid, periodMilliseconds: 1_000, timeoutMilliseconds: definition.timeoutMilliseconds)
        ])
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await scheduler.run() }
            defer { group.cancelAll() }
            var iterator = results.makeAsyncIterator()
            let result = try #require(await iterator.next())
            return (result, await scheduler.statistics())
        }
    }

    /// Asserts the result is the scheduler's hard timeout: unavailable, bad, status "timeout".
    static func expectTimedOut(_ run: (result: CheckResult, statistics: SchedulerStatistics), sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run.result.status == "timeout", sourceLocation: sourceLocation)
        #expect(run.result.availability == .unavailable, sourceLocation: sourceLocation)
        #expect(run.result.state == .bad, sourceLocation: sourceLocation)
        // At least: under a loaded full run the next period's run can time out too before the
        // statistics are read.
        #expect(run.statistics.counters.timedOut >= 1, sourceLocation: sourceLocation)
    }
}
