import Foundation
import Logging
import NoitCore
import NoitTestSupport
import PostgresNIO
import Testing

@testable import CheckModules

@Suite("postgres runs cut short")
struct PostgresCancellationTests {
    let server: PostgresTestServer

    init() throws {
        server = try PostgresTestServer()
    }

    @Test("cancelling a run in pg_sleep returns promptly, and the server ends the statement by the check's timeout")
    func cancelDuringQuery() async throws {
        let recorder = LogRecorder(label: "postgres-test")
        let registry = server.registry(logger: recorder.logger)
        let lock = Int64.random(in: 1...Int64.max)
        // The session-level advisory lock shows when the check's backend is gone: it is held
        // until the session ends, however the statement ends.
        let definition = server.check("SELECT pg_advisory_lock(\(lock)), pg_sleep(600)", timeout: 60_000)
        let task = Task { await registry.run(definition) }
        await recorder.waitForLine(containing: "postgres query started")
        let clock = ContinuousClock()
        let cancelledAt = clock.now
        task.cancel()
        let result = await task.value
        // Ignoring the cancellation would wait for the server's statement_timeout, the check's
        // 60 s. 40 s is more than a starved test process stalls (20 s seen) and less than that.
        #expect(clock.now - cancelledAt < .seconds(40))
        #expect(result.availability == .unavailable)
        #expect(result.state == .bad)
        #expect(result.status == "cancelled")

        // Waits for the lock, so for the check's backend to end: by its statement_timeout (the
        // check's 60 s), not after pg_sleep's 600 s; 300 s lies far from both. The admin
        // session's own timeout ends the wait before the sleep would.
        let waitStart = clock.now
        try await server.administer { connection in
            let logger = Logger(label: "postgres-test-admin")
            for sql in ["SET statement_timeout = 590000", "SELECT pg_advisory_lock(\(lock))", "SELECT pg_advisory_unlock(\(lock))"] {
                let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
                for try await _ in rows {}
            }
        }
        #expect(clock.now - waitStart < .seconds(300))
    }

    @Test("a run cancelled before it starts returns 'cancelled' at once")
    func cancelBeforeConnect() async throws {
        let registry = server.registry()
        let definition = server.check("SELECT pg_sleep(30)", timeout: 60_000)
        let task = Task { await registry.run(definition) }
        task.cancel()
        let result = await task.value
        #expect(result.state == .bad)
        #expect(result.availability == .unavailable)
    }
}
