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
        ScheduledRun.expectTimedOut(try await ScheduledRun.firstResult(of: definition, registry: registry))
    }
}
