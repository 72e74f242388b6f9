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
        let definition = DNSTestRunner.check(port: server.port, timeoutMilliseconds: 100)
        ScheduledRun.expectTimedOut(try await ScheduledRun.firstResult(of: definition, registry: DNSTestRunner.registry))
    }
}
