import Foundation
import Logging
import NIOPosix
import NoitCore
import Scheduler
import Testing

@testable import CheckModules

@Suite("postgres under the scheduler's hard timeout")
struct PostgresTimeoutThroughSchedulerTests {
    @Test("a pg_sleep(30) check times out at its timeout, recorded as unavailable/bad 'timeout'")
    func timeout() async throws {
        let server = try PostgresTestServer()
        let definition = server.check("SELECT pg_sleep(30)", timeout: 500)
        let start = ContinuousClock.now
        ScheduledRun.expectTimedOut(try await ScheduledRun.firstResult(of: definition, registry: server.registry()))
        #expect(ContinuousClock.now - start < .seconds(10))
    }
}
