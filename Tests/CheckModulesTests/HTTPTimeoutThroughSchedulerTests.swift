import Foundation
import Logging
import NIOPosix
import NoitCore
import Scheduler
import Testing

@testable import CheckModules

@Suite("http under the scheduler's hard timeout")
struct HTTPTimeoutThroughSchedulerTests {
    /// `loopDriven`: the run driven by callbacks on the loop, as the node runs it, or as a task.
    @Test("a body that stalls past the timeout is recorded as unavailable/bad 'timeout'", arguments: [false, true])
    func stalledBody(loopDriven: Bool) async throws {
        let server = try await HTTPTestServer { _ in .stall(status: 200, partialBody: "partial") }
        defer { Task { await server.close() } }
        let runner = HTTPCheckRunner()
        // Long enough for the request to reach the server on a loaded machine; the body never ends.
        let definition = runner.definition("http://127.0.0.1:\(server.port)/slow", timeout: 1_000)
        #expect(runner.registry.prepare(definition).start != nil)
        ScheduledRun.expectTimedOut(
            try await ScheduledRun.firstResult(of: definition, registry: runner.registry, loopDriven: loopDriven))
        // The request got there: the body stalled (a loaded machine may have begun the next period's run).
        #expect(server.receivedRequests.first?.uri == "/slow")
    }

    @Test("a loop-driven http run follows its redirects to the final answer")
    func redirectsLoopDriven() async throws {
        let server = try await HTTPTestServer { request in
            switch request.uri {
            case "/first": .full(status: 302, headers: [("Location", "/second")])
            case "/second": .full(status: 301, headers: [("Location", "/final")])
            default: .full(status: 200, body: "arrived")
            }
        }
        defer { Task { await server.close() } }
        let runner = HTTPCheckRunner()
        let definition = runner.definition(
            "http://127.0.0.1:\(server.port)/first", timeout: 5_000, ["redirects": "2", "body": "arrived"])
        let run = try await ScheduledRun.firstResult(of: definition, registry: runner.registry, loopDriven: true)
        #expect(run.result.state == .good, "\(run.result.status)")
        #expect(run.result.status.hasSuffix(" ms after 2 redirects"), "\(run.result.status)")
        #expect(server.receivedRequests.map(\.uri) == ["/first", "/second", "/final"])
    }
}
