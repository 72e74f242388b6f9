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
        // 30 s: the request reaches the server long before the deadline even on a starved
        // machine (stalls of 20 s seen), so what the timeout cuts is the body, which never ends.
        // The module's own backstop comes 30 s later still, never first.
        let definition = runner.definition("http://127.0.0.1:\(server.port)/slow", timeout: 30_000)
        #expect(runner.registry.prepare(definition).start != nil)
        ScheduledRun.expectTimedOut(
            try await ScheduledRun.firstResult(of: definition, registry: runner.registry, loopDriven: loopDriven))
        var requests = server.requests.makeAsyncIterator()
        let request = await requests.next()
        #expect(request?.uri == "/slow")
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
            "http://127.0.0.1:\(server.port)/first", ["redirects": "2", "body": "arrived"])
        let run = try await ScheduledRun.firstResult(of: definition, registry: runner.registry, loopDriven: true)
        #expect(run.result.state == .good, "\(run.result.status)")
        #expect(run.result.status.hasSuffix(" ms after 2 redirects"), "\(run.result.status)")
        // The first run's requests: the scheduler goes on, and on a starved machine the next
        // period's run may have started by now (runs never overlap, so its requests come after).
        #expect(Array(server.receivedRequests.map(\.uri).prefix(3)) == ["/first", "/second", "/final"])
    }
}
