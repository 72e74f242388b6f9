import Foundation
import Logging
import NIOPosix
import NoitCore
import Scheduler
import Testing

@testable import CheckModules

@Suite("postgres under the scheduler's hard timeout")
struct PostgresTimeoutThroughSchedulerTests {
    @Test("a pg_sleep(30) check times out at its timeout, recorded as unavailable/bad 'timeout'")
    func timeout() async throws {
        let server = try PostgresTestServer()
        let registry = server.registry()
        let definition = server.check("SELECT pg_sleep(30)", timeout: 500)
        let (results, continuation) = AsyncStream.makeStream(of: CheckResult.self)
        let scheduler = CheckScheduler(
            loop: MultiThreadedEventLoopGroup.singleton.next(), logger: Logger(label: "test"),
            execute: { _ in await registry.run(definition) },
            record: { _, result, _ in continuation.yield(result) })
        await scheduler.upsert([
            // A short period: the first run is spread somewhere within it.
            SchedulableCheck(id: definition.uuid, periodMilliseconds: 1_000, timeoutMilliseconds: 500)
        ])
        let clock = ContinuousClock()
        let start = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await scheduler.run() }
            var iterator = results.makeAsyncIterator()
            let result = try #require(await iterator.next())
            #expect(clock.now - start < .seconds(10))
            #expect(result.status == "timeout")
            #expect(result.availability == .unavailable)
            #expect(result.state == .bad)
            group.cancelAll()
        }
    }
}
