import Foundation
import Logging
import NIOPosix
import NoitCore
import NoitTestSupport
import Scheduler
import Testing

@testable import CheckModules

@Suite("tcp under the scheduler's hard timeout")
struct TCPTimeoutThroughSchedulerTests {
    @Test("a silent server makes a banner-reading tcp check time out, recorded as unavailable/bad 'timeout'")
    func timeout() async throws {
        let server = try await LoopbackServer(behavior: .silent)
        defer { Task { await server.close() } }
        let registry = ModuleRegistry.standard(
            environment: ModuleEnvironment(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: Logger(label: "test")))
        let definition = CheckDefinition(
            uuid: UUID(), module: "tcp", target: "127.0.0.1", periodMilliseconds: 1_000, timeoutMilliseconds: 100,
            config: ["port": String(server.port), "read_banner": "true"])
        let (results, continuation) = AsyncStream.makeStream(of: CheckResult.self)
        let scheduler = CheckScheduler(
            loop: MultiThreadedEventLoopGroup.singleton.next(), logger: Logger(label: "test"),
            execute: { _ in await registry.run(definition) },
            record: { _, result, _ in continuation.yield(result) })
        await scheduler.upsert([
            SchedulableCheck(id: definition.uuid, periodMilliseconds: 1_000, timeoutMilliseconds: 100)
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
