import Foundation
import Logging
import NIOPosix
import NoitCore
import NoitTestSupport
import Scheduler
import Testing

@testable import CheckModules

@Suite("postgres under the scheduler's hard timeout")
struct PostgresTimeoutThroughSchedulerTests {
    @Test("a query the server never answers times out at the check's timeout, recorded as unavailable/bad 'timeout'")
    func timeout() async throws {
        // Completes the startup (AuthenticationOk, ReadyForQuery), then answers nothing, so only
        // the scheduler's deadline can end the run. A real server would end a long statement at
        // its statement_timeout, which is the check's timeout too: a race with the deadline.
        let server = try await LoopbackServer(behavior: .banner("R\0\0\0\u{8}\0\0\0\0" + "Z\0\0\0\u{5}I"))
        defer { Task { await server.close() } }
        let recorder = LogRecorder(label: "postgres-test")
        let registry = ModuleRegistry([
            PostgresModule(environment: ModuleEnvironment(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: recorder.logger))
        ])
        // The connect deadline is the check's timeout as well: 30 s lets the startup finish on a
        // starved machine (stalls of 20 s seen), so that deadline never competes.
        let definition = CheckDefinition(
            uuid: UUID(), module: "postgres", target: "127.0.0.1", periodMilliseconds: 60_000, timeoutMilliseconds: 30_000,
            config: ["port": String(server.port), "user": "noit", "sql": "SELECT 1"])
        ScheduledRun.expectTimedOut(try await ScheduledRun.firstResult(of: definition, registry: registry))
        // The run was cut in its query, not while connecting.
        #expect(recorder.lines.contains { $0.contains("postgres query started") })
    }
}
