import Foundation
import Logging
import NIOCore
import NIOSSL
import NoitCore
import PostgresNIO
import Synchronization

/// Connects to a PostgreSQL server, runs the configured statement and reports its rows.
///
/// Metrics: `connect_duration` and `query_duration` (milliseconds, the connect including TLS
/// and authentication), `row_count`, and one metric per row and column after the first, named
/// ``<first column>`<column>`` and typed by the column (see ``PostgresRowMetrics`` and
/// ``PostgresValueDecoder``). A single-column result reports only `row_count`.
///
/// Each run uses its own connection (connect, query, close), so a check measures what a new
/// client of the server sees. Good means the statement ran; an error from it is available/bad
/// with the server's message, and failing to get a session is unavailable/bad.
///
/// The statement is sent as the operator wrote it (`PostgresQuery(unsafeSQL:)`): it is the
/// operator's own SQL from the check's config, not data from elsewhere, and there is nothing to
/// bind. It goes through the extended query protocol, so it must be a single statement.
///
/// Cancellation (the scheduler's timeout) closes the socket, which a server busy in a statement
/// does not notice; so the session starts with `statement_timeout` set to the check's timeout,
/// and the server gives up the statement no later than the check did. (A pooler such as
/// PgBouncer must be told to accept that startup parameter: `ignore_startup_parameters`.)
public struct PostgresModule: CheckModule {
    public static let descriptor = ModuleDescriptor(
        name: "postgres",
        summary: "Runs an SQL statement on a PostgreSQL server: connect and query time, row count, one metric per row and column.",
        parameters: [
            ModuleParameter("port", default: "5432", allowed: AllowedPattern.port, help: "TCP port of the server"),
            ModuleParameter("user", required: true, help: "role to log in as"),
            ModuleParameter("password", help: "the role's password, if the server asks for one; never logged nor reported"),
            ModuleParameter("dbname", help: "database to connect to (default: the user name)"),
            ModuleParameter(
                "sql", required: true,
                help: "one SQL statement; each row's first column names the row's metrics, the other columns are their values"),
            ModuleParameter(
                "sslmode", default: "disable", allowed: "(disable|require)",
                help: "require: speak TLS and fail if the server cannot (the certificate is not verified, as with libpq)"),
        ])

    private static let nextConnectionID = Atomic<Int>(1)

    private let group: any EventLoopGroup
    private let logger: Logger
    private let contexts = TLSContextCache()

    public init(environment: ModuleEnvironment) {
        self.group = environment.eventLoopGroup
        self.logger = environment.logger
    }

    public func run(_ check: CheckDefinition) async -> CheckResult {
        let clock = ContinuousClock()
        let start = clock.now
        let settings: PostgresCheckSettings
        do {
            settings = try PostgresCheckSettings(check)
        } catch {
            return .failed(error.description)
        }
        let tlsContext: NIOSSLContext?
        do {
            tlsContext = settings.requireTLS ? try contexts.context(verify: false, caChain: nil) : nil
        } catch {
            return .failed("TLS setup failed: \(error)")
        }
        let box = PostgresConnectionBox()
        let outcome = await withTaskCancellationHandler {
            await exchange(settings, tlsContext: tlsContext, box: box)
        } onCancel: {
            box.cancel()
        }
        return result(of: outcome, durationMilliseconds: (clock.now - start).milliseconds)
    }

    private struct Outcome {
        var connectMilliseconds: Double?
        var queryMilliseconds: Double?
        var rows = PostgresRowMetrics()
        var failure: PostgresFailure?
    }

    private func exchange(_ settings: PostgresCheckSettings, tlsContext: NIOSSLContext?, box: PostgresConnectionBox) async -> Outcome {
        let clock = ContinuousClock()
        let start = clock.now
        var outcome = Outcome()
        var logger = self.logger
        logger[metadataKey: "postgres"] = "\(settings)"

        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                on: group.next(), configuration: settings.connectionConfiguration(tlsContext: tlsContext),
                id: Self.nextConnectionID.wrappingAdd(1, ordering: .relaxed).oldValue, logger: logger)
        } catch {
            outcome.failure = Task.isCancelled ? .cancelled : .connecting(error)
            return outcome
        }
        outcome.connectMilliseconds = (clock.now - start).milliseconds
        guard box.set(connection) else {
            try? await connection.close()
            outcome.failure = .cancelled
            return outcome
        }

        let queryStart = clock.now
        do {
            logger.debug("postgres query started")
            let rows = try await connection.query(PostgresQuery(unsafeSQL: settings.sql), logger: logger)
            for try await row in rows { outcome.rows.add(row) }
            outcome.queryMilliseconds = (clock.now - queryStart).milliseconds
        } catch {
            outcome.failure = Task.isCancelled ? .cancelled : .querying(error)
        }
        try? await connection.close()
        return outcome
    }

    private func result(of outcome: Outcome, durationMilliseconds duration: Double) -> CheckResult {
        var metrics = [Metric]()
        if let connect = outcome.connectMilliseconds { metrics.append(Metric("connect_duration", .double(connect))) }
        let durationMs = Int64(duration.rounded())
        if let failure = outcome.failure {
            return CheckResult(
                availability: failure.availability, state: .bad, durationMilliseconds: durationMs,
                status: failure.status, metrics: metrics)
        }
        let query = outcome.queryMilliseconds ?? 0
        metrics.append(Metric("query_duration", .double(query)))
        metrics.append(Metric("row_count", .int64(outcome.rows.rowCount)))
        metrics.append(contentsOf: outcome.rows.metrics)
        let rows = outcome.rows.rowCount == 1 ? "1 row" : "\(outcome.rows.rowCount) rows"
        var status = "\(rows) in \(query.fixedText(decimals: 3)) ms"
        if outcome.rows.truncated { status += ", metrics cut at \(PostgresRowMetrics.metricLimit)" }
        return CheckResult(availability: .available, state: .good, durationMilliseconds: durationMs, status: status, metrics: metrics)
    }
}
