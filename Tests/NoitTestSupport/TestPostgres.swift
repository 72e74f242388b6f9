import Foundation

/// The tests' private PostgreSQL server, as `scripts/test-postgres.sh start` announces it and
/// `make test` exports it: `NOIT_TEST_POSTGRES=postgres://USER@HOST:PORT/DATABASE`.
///
/// Its superuser (`user`) logs in without a password; any other role needs one.
public enum TestPostgres {
    public static let environmentVariable = "NOIT_TEST_POSTGRES"

    public struct ConfigurationError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The server from `NOIT_TEST_POSTGRES`; throws a message telling how to get one when it is
    /// unset or unreadable.
    public static func configuration() throws -> (host: String, port: Int, user: String, database: String) {
        guard let url = ProcessInfo.processInfo.environment[environmentVariable], !url.isEmpty else {
            throw ConfigurationError(
                description: "\(environmentVariable) is not set: run the tests with `make test`, which starts a private PostgreSQL")
        }
        return try parse(url)
    }

    /// Reads `postgres://USER@HOST[:PORT][/DATABASE]` (or `postgresql://`); the port defaults to
    /// 5432 and the database to the user.
    public static func parse(_ text: String) throws -> (host: String, port: Int, user: String, database: String) {
        func invalid(_ why: String) -> ConfigurationError {
            ConfigurationError(
                description: "\(environmentVariable)='\(text)' \(why): expected postgres://USER@HOST:PORT/DATABASE")
        }
        guard let components = URLComponents(string: text) else { throw invalid("is not a URL") }
        guard let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql" else {
            throw invalid("does not start with postgres://")
        }
        guard var host = components.host, !host.isEmpty else { throw invalid("has no host") }
        // URLComponents keeps the brackets of an IPv6 literal; a socket address wants them gone.
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard let user = components.user, !user.isEmpty else { throw invalid("has no user") }
        let port = components.port ?? 5432
        guard (1...65_535).contains(port) else { throw invalid("has an invalid port") }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let database = path.isEmpty ? user : path
        return (host, port, user, database)
    }
}
