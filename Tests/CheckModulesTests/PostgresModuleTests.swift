import Foundation
import Logging
import NoitCore
import NoitTestSupport
import PostgresNIO
import Testing

@testable import CheckModules

/// Against the real PostgreSQL that `make test` starts (`scripts/test-postgres.sh`).
@Suite("postgres against a real PostgreSQL")
struct PostgresModuleTests {
    let server: PostgresTestServer

    init() throws {
        server = try PostgresTestServer()
    }

    func metric(_ result: CheckResult, _ name: String) -> MetricValue? {
        result.metrics.first { $0.name == name }?.value
    }

    @Test("typed columns and NULLs become typed metrics, with durations and row_count")
    func typedColumns() async throws {
        let sql = """
            SELECT * FROM (VALUES
              ('a'::text, 1::int2, 2::int4, 3::int8, 0.25::float4, 1.5::float8, 12.25::numeric, true, 'ok'::text, 'v'::varchar),
              ('b', NULL, NULL, NULL, NULL, NULL, NULL, false, NULL, NULL),
              ('c', (-32768)::int2, (-2147483648)::int4, (-9223372036854775808)::int8, (-1)::float4, (-2.5)::float8,
               -0.001, NULL, '', NULL)
            ) AS t(name, small, regular, big, real4, real8, exact, flag, state, label)
            """
        let result = await server.registry().run(server.check(sql))
        #expect(result.availability == .available)
        #expect(result.state == .good, "\(result.status)")
        #expect(result.status.hasPrefix("3 rows in "))
        #expect(metric(result, "row_count") == .int64(3))
        let connect = try #require(metric(result, "connect_duration"))
        #expect(connect.type == .double && (connect.doubleValue ?? -1) >= 0)
        let query = try #require(metric(result, "query_duration"))
        #expect(query.type == .double && (query.doubleValue ?? -1) >= 0)

        let expected: [(String, MetricValue)] = [
            ("a`small", .int32(1)), ("a`regular", .int32(2)), ("a`big", .int64(3)), ("a`real4", .double(0.25)),
            ("a`real8", .double(1.5)), ("a`exact", .double(12.25)), ("a`flag", .int32(1)), ("a`state", .string("ok")),
            ("a`label", .string("v")),
            ("b`small", .null(.int32)), ("b`regular", .null(.int32)), ("b`big", .null(.int64)), ("b`real4", .null(.double)),
            ("b`real8", .null(.double)), ("b`exact", .null(.double)), ("b`flag", .int32(0)), ("b`state", .null(.string)),
            ("b`label", .null(.string)),
            ("c`small", .int32(-32_768)), ("c`regular", .int32(.min)), ("c`big", .int64(.min)), ("c`real4", .double(-1)),
            ("c`real8", .double(-2.5)), ("c`exact", .double(-0.001)), ("c`flag", .null(.int32)), ("c`state", .string("")),
            ("c`label", .null(.string)),
        ]
        for (name, value) in expected {
            #expect(metric(result, name) == value, "\(name)")
        }
        // Three built-in metrics and one per row and non-first column, nothing else.
        #expect(result.metrics.count == 3 + expected.count)
    }

    @Test("string metrics match PostgreSQL's own output for each type rendered from binary")
    func textParity() async throws {
        let enumType = PostgresTestServer.uniqueName("mood")
        try await server.execute("CREATE TYPE \(enumType) AS ENUM ('happy', 'sad')")
        defer { Task { try? await server.execute("DROP TYPE IF EXISTS \(enumType)") } }
        let expressions = [
            "'2024-02-29'::date", "'0044-03-15 BC'::date", "'infinity'::date", "'1999-12-31 23:59:59.5'::timestamp",
            "'2024-06-01 12:34:56.123456+02'::timestamptz", "'-infinity'::timestamptz", "'13:45:00.25'::time",
            "'13:45:00+05:30'::timetz", "'1 year 2 mons 3 days 04:05:06.789'::interval", "'-1 day +02:00'::interval",
            "'-3 hours -0.5 seconds'::interval", "'0'::interval", "'192.168.1.5'::inet", "'192.168.1.5/24'::inet",
            "'10.0.0.0/8'::cidr", "'2001:db8::1/64'::inet", "'::ffff:1.2.3.4'::inet", "'08:00:2b:01:02:03'::macaddr",
            "'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid", "'\\xdeadbeef'::bytea", "'{\"a\": [1, 2]}'::jsonb",
            "'{\"a\":1}'::json", "'x'::\"char\"", "'abc'::name", "'pad'::char(5)", "'happy'::\(enumType)",
            "'<a>b</a>'::xml", "123::oid", "'naïve ☃'::text",
        ]
        // format's %s prints a value with its type's output function, as psql shows it (a
        // ::text cast differs for some types: inet gains its netmask, char(n) loses its padding).
        let columns = expressions.enumerated().map { "\($1) AS v\($0), format('%s', \($1)) AS t\($0)" }
        let result = await server.registry().run(server.check("SELECT 'r' AS name, " + columns.joined(separator: ", ")))
        #expect(result.state == .good, "\(result.status)")
        for (index, expression) in expressions.enumerated() {
            let rendered = metric(result, "r`v\(index)")
            let text = try #require(metric(result, "r`t\(index)"), "\(expression)")
            #expect(rendered == text, "\(expression)")
        }
    }

    @Test("a numeric or boolean first column names rows by its text form")
    func nonTextRowNames() async throws {
        let result = await server.registry().run(
            server.check("SELECT 1234.5600::numeric AS k, 1 AS v UNION ALL SELECT 7, 2 UNION ALL SELECT NULL, 3"))
        #expect(result.state == .good, "\(result.status)")
        #expect(metric(result, "1234.5600`v") == .int32(1))
        #expect(metric(result, "7.0000`v") == nil)
        #expect(metric(result, "7`v") == .int32(2))
        #expect(metric(result, "row_count") == .int64(3))
        #expect(result.metrics.count == 5)
        let flags = await server.registry().run(server.check("SELECT true AS k, 'yes' AS v"))
        #expect(metric(flags, "t`v") == .string("yes"))
    }

    @Test("an empty result is good with row_count 0 and no row metrics")
    func emptyResult() async throws {
        let result = await server.registry().run(server.check("SELECT 'x' AS name, 1 AS v WHERE false"))
        #expect(result.availability == .available)
        #expect(result.state == .good)
        #expect(result.status.hasPrefix("0 rows in "))
        #expect(metric(result, "row_count") == .int64(0))
        #expect(result.metrics.map(\.name) == ["connect_duration", "query_duration", "row_count"])
    }

    @Test("a single-column result reports only row_count")
    func singleColumn() async throws {
        let result = await server.registry().run(server.check("SELECT generate_series(1, 3)"))
        #expect(result.state == .good)
        #expect(result.status.hasPrefix("3 rows in "))
        #expect(result.metrics.map(\.name) == ["connect_duration", "query_duration", "row_count"])
        #expect(metric(result, "row_count") == .int64(3))
    }

    @Test("a statement that returns no rows (DDL) is good with row_count 0")
    func commandWithoutRows() async throws {
        let table = PostgresTestServer.uniqueName("t")
        let result = await server.registry().run(server.check("CREATE TEMP TABLE \(table) (id int)"))
        #expect(result.state == .good, "\(result.status)")
        #expect(metric(result, "row_count") == .int64(0))
    }

    @Test("an SQL error is available/bad with the server's message")
    func sqlError() async throws {
        let result = await server.registry().run(server.check("SELECT * FROM no_such_table_for_noit"))
        #expect(result.availability == .available)
        #expect(result.state == .bad)
        #expect(result.status == #"relation "no_such_table_for_noit" does not exist"#)
        #expect(metric(result, "connect_duration")?.doubleValue != nil)
        #expect(metric(result, "row_count") == nil)
    }

    @Test("an error raised while rows stream is available/bad with its message")
    func errorMidResult() async throws {
        let result = await server.registry().run(
            server.check("SELECT 'r' || i AS name, 10 / (3 - i) AS v FROM generate_series(1, 5) i"))
        #expect(result.availability == .available)
        #expect(result.state == .bad)
        #expect(result.status == "division by zero")
    }

    @Test("several statements are refused by the server: one statement per check")
    func multipleStatements() async throws {
        let result = await server.registry().run(server.check("SELECT 1; SELECT 2"))
        #expect(result.availability == .available)
        #expect(result.state == .bad)
        #expect(result.status == "cannot insert multiple commands into a prepared statement")
    }

    @Test("a database that does not exist is unavailable/bad, named in the status")
    func missingDatabase() async throws {
        let database = PostgresTestServer.uniqueName("nodb")
        let result = await server.registry().run(server.check("SELECT 1", ["dbname": database]))
        #expect(result.availability == .unavailable)
        #expect(result.state == .bad)
        #expect(result.status == #"database "\#(database)" does not exist"#)
    }

    @Test("dbname defaults to the user name")
    func databaseDefaultsToUser() async throws {
        var definition = server.check("SELECT 'db' AS k, current_database()::text AS name")
        definition.config["dbname"] = nil
        let result = await server.registry().run(definition)
        if server.user == server.database {
            #expect(metric(result, "db`name") == .string(server.user))
        } else {
            #expect(result.status == #"database "\#(server.user)" does not exist"#)
        }
    }

    @Test("a closed port is unavailable/bad 'connection refused'")
    func refusedPort() async throws {
        let port = try await LoopbackServer.closedPort()
        let result = await server.registry().run(server.check("SELECT 1", ["port": String(port)]))
        #expect(result.availability == .unavailable)
        #expect(result.state == .bad)
        #expect(result.status == "connection refused")
        #expect(result.metrics.isEmpty)
    }

    @Test("a server that is not PostgreSQL is unavailable/bad, without a crash")
    func notPostgres() async throws {
        let impostor = try await LoopbackServer(behavior: .banner("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n"))
        defer { Task { await impostor.close() } }
        let result = await server.registry().run(server.check("SELECT 1", timeout: 1_000, ["port": String(impostor.port)]))
        #expect(result.availability == .unavailable)
        #expect(result.state == .bad)
        // The reply's first bytes read as a message header announcing a huge message, so the
        // client waits for the rest until its connect deadline.
        #expect(result.status == "connect timeout")
    }

    @Test("sslmode=require speaks TLS; disable does not")
    func tls() async throws {
        let sql = "SELECT 'conn' AS k, ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
        let secured = await server.registry().run(server.check(sql, ["sslmode": "require"]))
        #expect(secured.state == .good, "\(secured.status)")
        #expect(metric(secured, "conn`ssl") == .int32(1))
        let plain = await server.registry().run(server.check(sql, ["sslmode": "disable"]))
        #expect(metric(plain, "conn`ssl") == .int32(0))
    }

    @Test("sslmode=require against a server without TLS fails clearly")
    func tlsRefused() async throws {
        // A listener that answers the TLS request with PostgreSQL's "N" (no TLS here).
        let plain = try await LoopbackServer(behavior: .banner("N"))
        defer { Task { await plain.close() } }
        let result = await server.registry().run(
            server.check("SELECT 1", ["port": String(plain.port), "sslmode": "require"]))
        #expect(result.availability == .unavailable)
        #expect(result.status == "the server does not support TLS (sslmode=require)")
    }

    @Test("a huge result keeps row_count exact and cuts metrics and long strings")
    func hugeResult() async throws {
        // 12,000 row metrics pass the cut at 10,000; two long strings are enough for the string
        // cut, so the result stays small (6000 long ones, 36 MB, once outlasted a 10 s timeout).
        let result = await server.registry().run(
            server.check(
                "SELECT 'r' || i AS name, i AS v, CASE WHEN i <= 2 THEN repeat('é', 3000) ELSE 's' END AS s "
                    + "FROM generate_series(1, 6000) i"))
        #expect(result.state == .good, "\(result.status)")
        #expect(metric(result, "row_count") == .int64(6_000))
        #expect(result.metrics.count == 3 + PostgresRowMetrics.metricLimit)
        #expect(result.status.hasSuffix("metrics cut at \(PostgresRowMetrics.metricLimit)"))
        guard case .string(let long) = try #require(metric(result, "r1`s")) else {
            Issue.record("r1`s is not a string")
            return
        }
        #expect(long.utf8.count == PostgresRowMetrics.stringLimit)
    }

    @Test("the server stops a statement at the check's timeout (statement_timeout)")
    func statementTimeout() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        // 30 s: time for connect and authentication (under the same timeout) on a starved
        // machine; the statement alone would take 600 s.
        let result = await server.registry().run(server.check("SELECT pg_sleep(600)", timeout: 30_000))
        // 300 s: only a statement the server did not cut (600 s) or a hang crosses it.
        #expect(clock.now - start < .seconds(300))
        #expect(result.availability == .available)
        #expect(result.state == .bad)
        #expect(result.status == "canceling statement due to statement timeout")
    }
}
