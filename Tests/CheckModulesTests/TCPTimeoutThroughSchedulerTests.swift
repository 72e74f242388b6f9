import Foundation
import Logging
import NIOCore
import NIOPosix
import NoitCore
import NoitTestSupport
import Scheduler
import Testing

@testable import CheckModules

@Suite("tcp under the scheduler's hard timeout")
struct TCPTimeoutThroughSchedulerTests {
    /// One loop for the scheduler and the module's sockets, as in the node.
    let loop = MultiThreadedEventLoopGroup.singleton.next()

    var registry: ModuleRegistry {
        ModuleRegistry.standard(environment: ModuleEnvironment(eventLoopGroup: loop, logger: Logger(label: "test")))
    }

    /// Tests not about the timeout give 60 s, which only a hang reaches (a starved test process
    /// can stall for 20 s); runs due meanwhile, a period later, are skipped, not overlapped.
    func tcpCheck(port: Int, timeout: Int64, _ config: [String: String] = [:]) -> CheckDefinition {
        CheckDefinition(
            uuid: UUID(), module: "tcp", target: "127.0.0.1", periodMilliseconds: 1_000, timeoutMilliseconds: timeout,
            config: config.merging(["port": String(port)]) { _, port in port })
    }

    @Test("a silent server makes a banner-reading tcp check time out, recorded as unavailable/bad 'timeout'")
    func timeout() async throws {
        let server = try await LoopbackServer(behavior: .silent)
        defer { Task { await server.close() } }
        let definition = tcpCheck(port: server.port, timeout: 100, ["read_banner": "true"])
        ScheduledRun.expectTimedOut(try await ScheduledRun.firstResult(of: definition, registry: registry, on: loop))
    }

    @Test("the same, with the run driven by callbacks on the loop as the node runs it")
    func timeoutLoopDriven() async throws {
        let server = try await LoopbackServer(behavior: .silent)
        defer { Task { await server.close() } }
        let definition = tcpCheck(port: server.port, timeout: 100, ["read_banner": "true"])
        #expect(registry.prepare(definition).start != nil)
        ScheduledRun.expectTimedOut(
            try await ScheduledRun.firstResult(of: definition, registry: registry, on: loop, loopDriven: true))
    }

    @Test("a loop-driven tcp run against a listener records a good connect")
    func connectLoopDriven() async throws {
        let server = try await LoopbackServer(behavior: .silent)
        defer { Task { await server.close() } }
        let definition = tcpCheck(port: server.port, timeout: 60_000)
        let run = try await ScheduledRun.firstResult(of: definition, registry: registry, on: loop, loopDriven: true)
        #expect(run.result.state == .good)
        #expect(run.result.status.hasPrefix("connected in "))
        #expect(run.result.metrics.contains { $0.name == "tt_connect" })
        #expect(run.statistics.counters.timedOut == 0)
    }

    @Test("a loop-driven tcp run to a refused port records the refusal")
    func refusedLoopDriven() async throws {
        let definition = tcpCheck(port: try await LoopbackServer.closedPort(), timeout: 60_000)
        let run = try await ScheduledRun.firstResult(of: definition, registry: registry, on: loop, loopDriven: true)
        #expect(run.result.status == "connection refused")
        #expect(run.result.availability == .unavailable)
    }

    @Test("a loop-driven tcp run with a config error finishes at once, inside its launch")
    func configErrorLoopDriven() async throws {
        let definition = tcpCheck(port: 1, timeout: 60_000, ["banner_match": "("])
        let run = try await ScheduledRun.firstResult(of: definition, registry: registry, on: loop, loopDriven: true)
        #expect(run.result.status == "banner_match is not a valid regular expression")
    }
}
