import Foundation
import Logging
import NIOPosix
import NoitCore
import NoitTestSupport
import PostgresNIO

@testable import CheckModules

/// The private PostgreSQL that `make test` starts (see `scripts/test-postgres.sh`): builds
/// postgres checks against it and runs administrative SQL as its superuser.
struct PostgresTestServer {
    let host: String
    let port: Int
    let user: String
    let database: String

    /// Throws, failing the test with instructions, when `NOIT_TEST_POSTGRES` is not set.
    init() throws {
        (host, port, user, database) = try TestPostgres.configuration()
    }

    /// The default timeout is both the connect deadline and the server's statement_timeout,
    /// so it is set where only a hang reaches it (120 s; a starved test process can stall for
    /// 20 s): tests about a timeout pass their own.
    func check(
        _ sql: String, timeout: Int64 = 120_000, _ config: [String: String] = [:]
    ) -> CheckDefinition {
        var merged = ["port": String(port), "user": user, "dbname": database, "sql": sql]
        merged.merge(config) { _, new in new }
        return CheckDefinition(
            uuid: UUID(), module: "postgres", target: host, periodMilliseconds: 60_000,
            timeoutMilliseconds: timeout, config: merged)
    }

    func registry(logger: Logger = Logger(label: "postgres-test")) -> ModuleRegistry {
        ModuleRegistry([
            PostgresModule(environment: ModuleEnvironment(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: logger))
        ])
    }

    /// Runs statements as the superuser, on a connection of its own.
    func administer<Value>(_ body: (PostgresConnection) async throws -> Value) async throws -> Value {
        let connection = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.next(),
            configuration: .init(host: host, port: port, username: user, password: nil, database: database, tls: .disable),
            id: 0, logger: Logger(label: "postgres-test-admin"))
        do {
            let value = try await body(connection)
            try await connection.close()
            return value
        } catch {
            try? await connection.close()
            throw error
        }
    }

    func execute(_ sql: String) async throws {
        try await administer { connection in
            let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Logger(label: "postgres-test-admin"))
            for try await _ in rows {}
        }
    }

    /// A fresh name, so tests never share roles, types or databases.
    static func uniqueName(_ prefix: String) -> String {
        prefix + "_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
    }
}
