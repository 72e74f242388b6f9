import Foundation
import NoitCore
import NoitTestSupport
import Testing

@testable import CheckModules

@Suite("postgres password authentication")
struct PostgresPasswordTests {
    let server: PostgresTestServer

    init() throws {
        server = try PostgresTestServer()
    }

    func leaks(_ secret: String, in result: CheckResult) -> Bool {
        result.status.contains(secret)
            || result.metrics.contains { $0.name.contains(secret) || ($0.value.valueText ?? "").contains(secret) }
    }

    @Test("a role with a password logs in with it; no password shows in a status, metric or log line")
    func passwordNeverShown() async throws {
        let role = PostgresTestServer.uniqueName("noit_pw")
        let password = "pw-" + UUID().uuidString
        let wrong = "wrong-" + UUID().uuidString
        // scram-sha-256 for every role but the superuser: see scripts/test-postgres.sh.
        try await server.execute("CREATE ROLE \(role) LOGIN PASSWORD '\(password)'")
        defer { Task { try? await server.execute("DROP ROLE IF EXISTS \(role)") } }
        let recorder = LogRecorder(label: "postgres-test")
        let registry = server.registry(logger: recorder.logger)

        let good = await registry.run(
            server.check("SELECT 'who' AS k, current_user::text AS name", ["user": role, "password": password]))
        #expect(good.state == .good, "\(good.status)")
        #expect(good.metrics.first { $0.name == "who`name" }?.value == .string(role))

        let rejected = await registry.run(server.check("SELECT 1", ["user": role, "password": wrong]))
        #expect(rejected.availability == .unavailable)
        #expect(rejected.state == .bad)
        #expect(rejected.status == #"authentication failed: password authentication failed for user "\#(role)""#)

        let missing = await registry.run(server.check("SELECT 1", ["user": role]))
        #expect(missing.availability == .unavailable)
        #expect(missing.status == "authentication failed: the server wants a password and none is configured")

        let sqlError = await registry.run(
            server.check("SELECT * FROM no_such_table_for_noit", ["user": role, "password": password]))
        #expect(sqlError.availability == .available)
        #expect(sqlError.state == .bad)

        for result in [good, rejected, missing, sqlError] {
            #expect(!leaks(password, in: result), "\(result.status)")
            #expect(!leaks(wrong, in: result), "\(result.status)")
        }
        let lines = recorder.lines
        #expect(lines.contains { $0.contains("postgres query started") }, "the runs' logs were not captured")
        #expect(!lines.contains { $0.contains(password) || $0.contains(wrong) })
    }
}
