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
        // Long enough for the request to reach the server on a loaded machine; the body never ends.
        let definition = runner.definition("http://127.0.0.1:\(server.port)/slow", timeout: 1_000)
        ScheduledRun.expectTimedOut(try await ScheduledRun.firstResult(of: definition, registry: runner.registry))
        #expect(server.receivedRequests.map(\.uri) == ["/slow"])
    }
}
