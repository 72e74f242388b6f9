import NIOCore
import NIOSSL
import NoitCore
import PostgresNIO

/// How a failed connect or query reads in a check's result.
///
/// Failing to get a session (no route, refused, TLS, authentication, no such database) makes
/// the service unavailable; an error once the session is up (an SQL error, a dropped
/// connection) is an available service in a bad state. Statuses are built from the server's
/// message fields and the error codes only: PSQLError's own description is deliberately
/// generic, and the configured password is in neither.
struct PostgresFailure: Equatable {
    var availability: Availability
    var status: String

    /// Longest status kept from a server message, which can be long (a PL/pgSQL context, say).
    static let statusLimit = 240

    /// A run cut off by its task's cancellation (the scheduler records it as a timeout).
    static let cancelled = PostgresFailure(availability: .unavailable, status: "cancelled")

    static func connecting(_ error: any Error) -> PostgresFailure {
        PostgresFailure(availability: .unavailable, status: limited(connectStatus(error)))
    }

    static func querying(_ error: any Error) -> PostgresFailure {
        PostgresFailure(availability: .available, status: limited(queryStatus(error)))
    }

    private static func connectStatus(_ error: any Error) -> String {
        if error is CancellationError { return "cancelled" }
        guard let error = error as? PSQLError else { return "connect failed: \(error)" }
        switch error.code {
        case .server:
            let message = serverMessage(error)
            switch error.serverInfo?[.sqlState] {
            // invalid_password, invalid_authorization_specification (no pg_hba.conf entry).
            case "28P01", "28000": return "authentication failed: \(message)"
            default: return message
            }
        case .authMechanismRequiresPassword:
            return "authentication failed: the server wants a password and none is configured"
        case .unsupportedAuthMechanism:
            return "authentication failed: the server wants an authentication method this node does not speak"
        case .saslError:
            return "authentication failed: SCRAM exchange failed"
        case .sslUnsupported:
            return "the server does not support TLS (sslmode=require)"
        case .failedToAddSSLHandler, .receivedUnencryptedDataAfterSSLRequest:
            return "TLS setup failed"
        case .connectionError:
            guard let underlying = error.underlying else { return "connect failed" }
            if underlying is NIOSSLError || underlying is BoringSSLError {
                return "TLS handshake failed: \(underlying)"
            }
            return TCPModule.describe(connectError: underlying)
        case .serverClosedConnection, .uncleanShutdown:
            return "the server closed the connection"
        case .messageDecodingFailure, .unexpectedBackendMessage:
            return "not a PostgreSQL server (unexpected reply)"
        default:
            return "connect failed: \(error.code)"
        }
    }

    private static func queryStatus(_ error: any Error) -> String {
        if error is CancellationError { return "cancelled" }
        guard let error = error as? PSQLError else { return "query failed: \(error)" }
        switch error.code {
        case .server:
            return serverMessage(error)
        case .serverClosedConnection, .uncleanShutdown:
            return "the server closed the connection during the query"
        case .clientClosedConnection:
            return "cancelled"
        case .connectionError:
            return "connection lost during the query"
        case .messageDecodingFailure, .unexpectedBackendMessage:
            return "protocol error during the query"
        default:
            return "query failed: \(error.code)"
        }
    }

    private static func serverMessage(_ error: PSQLError) -> String {
        guard let message = error.serverInfo?[.message], !message.isEmpty else {
            return "server error \(error.serverInfo?[.sqlState] ?? "without a message")"
        }
        return message
    }

    private static func limited(_ status: String) -> String {
        status.count <= statusLimit ? status : String(status.prefix(statusLimit - 3)) + "..."
    }
}
