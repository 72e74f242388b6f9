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

    @Test("the same, with the run driven by callbacks on the loop as the node runs it")
    func timeoutLoopDriven() async throws {
        let server = try await LoopbackServer(behavior: .silent)
        defer { Task { await server.close() } }
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let registry = ModuleRegistry.standard(environment: ModuleEnvironment(eventLoopGroup: loop, logger: Logger(label: "test")))
        let definition = CheckDefinition(
            uuid: UUID(), module: "tcp", target: "127.0.0.1", periodMilliseconds: 1_000, timeoutMilliseconds: 100,
            config: ["port": String(server.port), "read_banner": "true"])
        #expect(registry.prepare(definition).start != nil)
        ScheduledRun.expectTimedOut(try await ScheduledRun.firstResult(of: definition, registry: registry, loopDriven: true))
    }

    @Test("a loop-driven tcp run against a listener records a good connect")
    func connectLoopDriven() async throws {
        let server = try await LoopbackServer(behavior: .silent)
        defer { Task { await server.close() } }
        let registry = ModuleRegistry.standard(
            environment: ModuleEnvironment(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: Logger(label: "test")))
        let definition = CheckDefinition(
            uuid: UUID(), module: "tcp", target: "127.0.0.1", periodMilliseconds: 1_000, timeoutMilliseconds: 900,
            config: ["port": String(server.port)])
        let run = try await ScheduledRun.firstResult(of: definition, registry: registry, loopDriven: true)
        #expect(run.result.state == .good)
        #expect(run.result.status.hasPrefix("connected in "))
        #expect(run.result.metrics.contains { $0.name == "tt_connect" })
        #expect(run.statistics.counters.timedOut == 0)
    }

    @Test("a loop-driven tcp run to a refused port records the refusal")
    func refusedLoopDriven() async throws {
        let port = try await LoopbackServer.closedPort()
        let registry = ModuleRegistry.standard(
            environment: ModuleEnvironment(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: Logger(label: "test")))
        let definition = CheckDefinition(
            uuid: UUID(), module: "tcp", target: "127.0.0.1", periodMilliseconds: 1_000, timeoutMilliseconds: 900,
            config: ["port": String(port)])
        let run = try await ScheduledRun.firstResult(of: definition, registry: registry, loopDriven: true)
        #expect(run.result.status == "connection refused")
        #expect(run.result.availability == .unavailable)
    }

    @Test("a loop-driven tcp run with a config error finishes at once, inside its launch")
    func configErrorLoopDriven() async throws {
        let registry = ModuleRegistry.standard(
            environment: ModuleEnvironment(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: Logger(label: "test")))
        let definition = CheckDefinition(
            uuid: UUID(), module: "tcp", target: "127.0.0.1", periodMilliseconds: 1_000, timeoutMilliseconds: 900,
            config: ["port": "1", "banner_match": "("])
        let run = try await ScheduledRun.firstResult(of: definition, registry: registry, loopDriven: true)
        #expect(run.result.status == "banner_match is not a valid regular expression")
    }
}
