import NIOCore
import NIOSSL
import NoitCore
import PostgresNIO

/// A postgres check's config, read once per run.
///
/// Holds the password, so it prints without it: nothing derived from this value by
/// interpolation can leak the secret into a status, a metric or a log.
struct PostgresCheckSettings: Sendable, CustomStringConvertible {
    var host: String
    var port: Int
    var user: String
    var password: String?
    var database: String
    var sql: String
    var requireTLS: Bool
    var timeoutMilliseconds: Int64

    /// The reason a config cannot be run, for the check's status.
    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    init(_ check: CheckDefinition) throws(Invalid) {
        guard !check.target.isEmpty else { throw Invalid(description: "no target host") }
        guard let port = check.intConfig("port"), (1...65_535).contains(port) else {
            throw Invalid(description: "invalid port")
        }
        guard let user = check.config["user"], !user.isEmpty else { throw Invalid(description: "no user") }
        guard let sql = check.config["sql"], !sql.allSatisfy(\.isWhitespace) else {
            throw Invalid(description: "no sql")
        }
        host = check.target
        self.port = port
        self.user = user
        password = check.config["password"]
        database = check.config["dbname"].flatMap { $0.isEmpty ? nil : $0 } ?? user
        self.sql = sql
        requireTLS = check.config["sslmode"] == "require"
        timeoutMilliseconds = max(1, check.timeoutMilliseconds)
    }

    /// The connection's configuration.
    ///
    /// `sslmode=require` means what it means to libpq: encrypt, but do not verify the server's
    /// certificate. The server's `statement_timeout` is set to the check's timeout so that a run
    /// cut off by the scheduler (which closes the socket) does not leave its statement running on
    /// the server for longer than the check itself was allowed.
    func connectionConfiguration(tlsContext: NIOSSLContext?) -> PostgresConnection.Configuration {
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database,
            tls: tlsContext.map { .require($0) } ?? .disable)
        configuration.options.connectTimeout = .milliseconds(timeoutMilliseconds)
        // Not needed (cancellation closes the socket) and absent behind some proxies.
        configuration.options.requireBackendKeyData = false
        configuration.options.additionalStartupParameters = [
            ("application_name", "noit"),
            ("statement_timeout", String(timeoutMilliseconds)),
        ]
        return configuration
    }

    var description: String {
        "postgres://\(user)@\(host):\(port)/\(database)\(requireTLS ? "?sslmode=require" : "")"
    }
}
