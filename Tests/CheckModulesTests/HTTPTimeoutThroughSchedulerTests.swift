import Foundation
import Logging
import NIOPosix
import NoitCore
import Scheduler
import Testing

@testable import CheckModules

@Suite("http under the scheduler's hard timeout")
struct HTTPTimeoutThroughSchedulerTests {
    @Test("a body that stalls past the timeout is recorded as unavailable/bad 'timeout'")
    func stalledBody() async throws {
        let server = try await HTTPTestServer { _ in .stall(status: 200, partialBody: "partial") }
        defer { Task { await server.close() } }
        let runner = HTTPCheckRunner()
        let definition = runner.definition("http://127.0.0.1:\(server.port)/slow", timeout: 200)
        let (results, continuation) = AsyncStream.makeStream(of: CheckResult.self)
        let scheduler = CheckScheduler(
            loop: MultiThreadedEventLoopGroup.singleton.next(), logger: Logger(label: "test"),
            execute: { _ in await runner.registry.run(definition) },
            record: { _, result, _ in continuation.yield(result) })
        await scheduler.upsert([
            SchedulableCheck(id: definition.uuid, periodMilliseconds: 1_000, timeoutMilliseconds: 200)
        ])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await scheduler.run() }
            var iterator = results.makeAsyncIterator()
            let result = try #require(await iterator.next())
            #expect(result.status == "timeout")
            #expect(result.availability == .unavailable)
            #expect(result.state == .bad)
            #expect(server.receivedRequests.map(\.uri) == ["/slow"])
            let stats = await scheduler.statistics()
            #expect(stats.counters.timedOut == 1)
            group.cancelAll()
        }
    }
}
