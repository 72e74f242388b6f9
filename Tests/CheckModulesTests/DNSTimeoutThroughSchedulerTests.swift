import Foundation
import Logging
import NIOPosix
import NoitCore
import Scheduler
import Testing

@testable import CheckModules

@Suite("dns under the scheduler's hard timeout")
struct DNSTimeoutThroughSchedulerTests {
    @Test("a server that never answers makes the dns check time out, recorded as unavailable/bad 'timeout'")
    func timeout() async throws {
        let server = try await DNSScriptedServer(udp: { _ in [] })
        defer { Task { await server.close() } }
        let registry = DNSTestRunner.registry
        let definition = DNSTestRunner.check(port: server.port, timeoutMilliseconds: 100)
        let (results, continuation) = AsyncStream.makeStream(of: CheckResult.self)
        let scheduler = CheckScheduler(
            loop: MultiThreadedEventLoopGroup.singleton.next(), logger: Logger(label: "test"),
            execute: { _ in await registry.run(definition) },
            record: { _, result, _ in continuation.yield(result) })
        await scheduler.upsert([
            SchedulableCheck(id: definition.uuid, periodMilliseconds: 5_000, timeoutMilliseconds: 100)
        ])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await scheduler.run() }
            var iterator = results.makeAsyncIterator()
            let result = try #require(await iterator.next())
            #expect(result.status == "timeout")
            #expect(result.availability == .unavailable)
            #expect(result.state == .bad)
            let stats = await scheduler.statistics()
            #expect(stats.counters.timedOut == 1)
            group.cancelAll()
        }
    }
}
