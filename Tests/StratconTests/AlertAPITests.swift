import AlertDelivery
import Alerting
import Foundation
import Hummingbird
import NoitCore
import NoitTestSupport
import PostgresNIO
import ServiceLifecycle
import Stratcon
import StratconAPI
import Testing

/// The alerting API (`/api/rules`, `/api/alerts`, `/api/outbox`, `/api/silences`,
/// `/api/checks/<uuid>/alerting`) served on a real loopback port over a real PostgreSQL,
/// with a running ``AlertEngine`` where the test needs alerts: the engine judges committed
/// batches the way stratcond's feeds hand them over, and the test reads the results through
/// curl.
@Suite("Alert API")
struct AlertAPITests {
    static let noit = "noit-a:43192"
    static let alpha = UUID(uuidString: "bbbbbbbb-0000-4000-8000-0000000000b1")!
    static let beta = UUID(uuidString: "bbbbbbbb-0000-4000-8000-0000000000b2")!
    static let gamma = UUID(uuidString: "bbbbbbbb-0000-4000-8000-0000000000b3")!
    static let minute: Int64 = 60_000

    /// One served stratcond HTTP side with alerting.
    struct Server: Sendable {
        let port: Int
        let engine: AlertEngine?
        let alerts: AlertStore
        var base: String { "http://127.0.0.1:\(port)" }
    }

    /// Serves the graph API and the alert API (with an engine, unless `withEngine` is false)
    /// on a free loopback port, as stratcond does: pool, engine, server and live hub in one
    /// service group, stopped gracefully when `body` returns. The engine has no outbox
    /// worker, so queued notifications stay pending.
    static func serve(
        _ configuration: PostgresConnection.Configuration, settings: AlertingSettings = hookSettings, withEngine: Bool = true,
        web: WebFiles? = nil, _ body: @escaping @Sendable (Server) async throws -> Void
    ) async throws {
        let logger = FreshDatabase.logger
        let client = GraphAPITests.client(configuration)
        let live = LiveHub()
        let api = GraphAPI(store: GraphStore(client: client, logger: logger), feeds: [], live: live, now: { Date() })
        let alertStore = AlertStore(client: client, logger: logger)
        let engine = withEngine ? AlertEngine(store: alertStore, settings: settings, outbox: nil, logger: logger) : nil
        let alerts = AlertAPI(store: alertStore, engine: engine, now: { Date() })
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let application = Application(
            router: buildStratconRouter(api: api, alerts: alerts, web: web, logger: logger),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) },
            logger: logger)
        var services: [any Service] = [client]
        if let engine { services.append(engine) }
        services += [application, live] as [any Service]
        let group = ServiceGroup(configuration: .init(services: services, logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            do {
                try await body(Server(port: port, engine: engine, alerts: alertStore))
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// One hook, so every transition queues one notification (nothing delivers it).
    static var hookSettings: AlertingSettings {
        var settings = AlertingSettings()
        settings.hooks = [HookDefinition(name: "pager", kind: .webhook(url: "http://127.0.0.1:9/never", headers: [:]))]
        return settings
    }

    // MARK: - HTTP through curl

    struct Reply {
        var status: Int
        var contentType: String?
        var text: String
        var json: Any?
        var object: [String: Any] { json as? [String: Any] ?? [:] }
        var error: String? { object["error"] as? String }
        func list(_ key: String) -> [[String: Any]] { object[key] as? [[String: Any]] ?? [] }
    }

    /// `curl -X method` with `body` sent as JSON (a body starting with `@` names a file).
    static func call(_ method: String, _ url: String, body: String? = nil) async throws -> Reply {
        let headers = FileManager.default.temporaryDirectory.appendingPathComponent("alert-api-headers-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: headers) }
        var arguments = ["-X", method, "-D", headers.path]
        if let body { arguments += ["-H", "content-type: application/json", "-H", "Expect:", "--data-binary", body] }
        arguments.append(url)
        let outcome = try await Curl.run(arguments)
        let headerLines = ((try? String(contentsOf: headers, encoding: .utf8)) ?? "").split(whereSeparator: \.isNewline)
        let contentType = headerLines.first { $0.lowercased().hasPrefix("content-type:") }
            .map { $0.dropFirst("content-type:".count).trimmingCharacters(in: .whitespaces) }
        let json = try? JSONSerialization.jsonObject(with: Data(outcome.body.utf8), options: [.fragmentsAllowed])
        return Reply(status: outcome.status, contentType: contentType, text: outcome.body, json: json)
    }

    static func get(_ server: Server, _ path: String) async throws -> Reply { try await call("GET", server.base + path) }

    static func send(_ server: Server, _ method: String, _ path: String, _ body: String? = nil) async throws -> Reply {
        try await call(method, server.base + path, body: body)
    }

    /// A refusal: the status, a JSON body `{"error": "..."}` and nothing else, and a message
    /// containing each of `fragments`.
    static func expectError(
        _ reply: Reply, _ status: Int, _ fragments: String..., sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(reply.status == status, "\(reply.text)", sourceLocation: sourceLocation)
        #expect(reply.contentType == "application/json", sourceLocation: sourceLocation)
        #expect(Array(reply.object.keys) == ["error"], "\(reply.text)", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(reply.error?.contains(fragment) == true, "'\(fragment)' not in \(reply.text)", sourceLocation: sourceLocation)
        }
    }

    static func number(_ value: Any?) -> Double? { (value as? NSNumber)?.doubleValue }

    static func milliseconds(_ text: Any?) -> Int64? {
        guard let text = text as? String, let date = ISO8601DateFormatter.withFractionalSeconds.date(from: text) else { return nil }
        return Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    static func rfc3339(_ milliseconds: Int64) -> String {
        ISO8601DateFormatter.withFractionalSeconds.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }

    static var nowMs: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    // MARK: - Data

    /// Stores `records` and hands them to the engine, as a feed does with a committed batch.
    static func commit(_ records: [Record], store: ArchiveStore, engine: AlertEngine?) async throws {
        var staged = StagedRecords()
        for record in records { staged.append(record) }
        try await store.ingest(noit: noit, records: staged)
        engine?.committed(noit: noit, records: staged.records)
    }

    static func count(_ connection: PostgresConnection, _ query: PostgresQuery) async throws -> Int {
        try await connection.values(query, as: Int.self).first ?? 0
    }

    /// Polls the database until `query` counts at least `target` (a minute at most).
    static func waitFor(
        _ what: String, _ connection: PostgresConnection, _ query: PostgresQuery, atLeast target: Int = 1,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while try await count(connection, query) < target {
            guard ContinuousClock.now < deadline else {
                Issue.record("timed out waiting for \(what)", sourceLocation: sourceLocation)
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    static func at(_ milliseconds: Int64) -> Timestamp { Timestamp(millisecondsSinceEpoch: milliseconds) }

    static func latency(_ uuid: UUID, _ time: Int64, _ value: Double) -> Record {
        .metric(timestamp: at(time), uuid: uuid, metric: Metric("latency", .double(value)))
    }

    /// Three checks under one threshold rule (latency above 100): alpha, beta and gamma open,
    /// one minute apart, then alpha resolves; each transition queues one notification.
    /// Returns the alert ids by check.
    static func seedAlerts(_ server: Server, _ store: ArchiveStore) async throws -> [UUID: Int64] {
        let created = try await send(server, "POST", "/api/rules", #"{"name":"high-latency","type":"threshold","metric":"latency","above":100,"clear":50,"severity":"critical"}"#)
        #expect(created.status == 201, "\(created.text)")
        let start = (nowMs / minute - 30) * minute
        try await commit([
            .check(timestamp: at(start), uuid: alpha, target: "10.0.0.1", module: "http", name: "alpha"),
            .check(timestamp: at(start), uuid: beta, target: "10.0.0.2", module: "http", name: "beta"),
            .check(timestamp: at(start), uuid: gamma, target: "10.0.0.3", module: "http", name: "gamma"),
            latency(alpha, start, 150),
            latency(beta, start + minute, 200),
            latency(gamma, start + 2 * minute, 300),
        ], store: store, engine: server.engine)
        try await waitFor("three notifications", store.connection, "SELECT count(*)::int FROM alert_outbox", atLeast: 3)
        // In a batch of its own: when one batch opens and resolves the same alert, the engine
        // currently passes that series' slot twice to AlertStore.saveSlots, whose single
        // INSERT … ON CONFLICT PostgreSQL refuses ("cannot affect row a second time"), and
        // the engine retries it forever.
        try await commit([latency(alpha, start + 3 * minute, 10)], store: store, engine: server.engine)
        try await waitFor("the resolve's notification", store.connection, "SELECT count(*)::int FROM alert_outbox", atLeast: 4)
        var ids = [UUID: Int64]()
        for try await (id, uuid) in try await store.connection.query("SELECT id, uuid FROM alerts", logger: FreshDatabase.logger).decode((Int64, UUID).self) {
            ids[uuid] = id
        }
        #expect(ids.count == 3)
        return ids
    }

    // MARK: - Rules

    @Test("rules: create, list, read, replace, delete; duplicates and config rules refused with 409")
    func rulesCRUD() async throws {
        try await FreshDatabase.with { configuration, _ in
            try await Self.serve(configuration, withEngine: false) { server in
                // Numbers, booleans and lists of text are accepted and stored as text.
                let body = #"{"name":"disk-full","type":"forecast","metric":"disk","above":90.5,"window":"1d","horizon":"3d","hooks":["pager","mail"],"enabled":true,"consecutive":2}"#
                let created = try await Self.send(server, "POST", "/api/rules", body)
                #expect(created.status == 201, "\(created.text)")
                #expect(created.contentType == "application/json")
                let rule = created.object
                #expect(rule["name"] as? String == "disk-full")
                #expect(rule["type"] as? String == "forecast")
                #expect(rule["metric"] as? String == "disk")
                #expect(rule["above"] as? String == "90.5")
                #expect(rule["window"] as? String == "1d")
                #expect(rule["horizon"] as? String == "3d")
                #expect(rule["hooks"] as? String == "pager,mail")
                #expect(rule["consecutive"] as? String == "2")
                #expect(rule["severity"] as? String == "warning")
                #expect(rule["enabled"] == nil)  // the default is not written
                #expect(rule["source"] as? String == "api")
                #expect(rule["problem"] == nil)
                let updatedAt = try #require(Self.milliseconds(rule["updated_at"]))
                #expect(abs(updatedAt - Self.nowMs) < 60_000)

                Self.expectError(try await Self.send(server, "POST", "/api/rules", body), 409, "'disk-full' exists")

                // A second rule, disabled, with 0 and 1 as numbers (not booleans).
                let second = try await Self.send(
                    server, "POST", "/api/rules", #"{"name":"any-down","type":"status","enabled":false,"on":["unavailable"],"consecutive":1}"#)
                #expect(second.status == 201, "\(second.text)")
                #expect(second.object["enabled"] as? String == "false")
                #expect(second.object["consecutive"] as? String == "1")
                #expect(second.object["on"] as? String == "unavailable")

                let list = try await Self.get(server, "/api/rules")
                #expect(list.status == 200)
                #expect(list.list("rules").compactMap { $0["name"] as? String } == ["any-down", "disk-full"])
                #expect(list.list("rules").allSatisfy { $0["source"] as? String == "api" })

                let one = try await Self.get(server, "/api/rules/disk-full")
                #expect(one.status == 200)
                #expect(one.object["above"] as? String == "90.5")
                #expect(one.object["hooks"] as? String == "pager,mail")
                Self.expectError(try await Self.get(server, "/api/rules/nope"), 404, "no rule named 'nope'")
                Self.expectError(try await Self.get(server, "/api/rules?verbose=1"), 400, "unknown parameter 'verbose'")

                // PUT replaces (the name may be left out of the body) or creates.
                let replaced = try await Self.send(server, "PUT", "/api/rules/disk-full", #"{"type":"forecast","metric":"disk","below":1,"window":"12h","horizon":"2d"}"#)
                #expect(replaced.status == 200, "\(replaced.text)")
                #expect(replaced.object["below"] as? String == "1")
                #expect(replaced.object["above"] == nil)
                #expect(replaced.object["hooks"] == nil)
                #expect(try await Self.get(server, "/api/rules/disk-full").object["window"] as? String == "12h")
                let put = try await Self.send(server, "PUT", "/api/rules/slow", #"{"name":"slow","type":"threshold","metric":"duration","above":2000,"for":"5m"}"#)
                #expect(put.status == 201, "\(put.text)")
                #expect(put.object["for"] as? String == "5m")
                #expect(put.object["source"] as? String == "api")

                let deleted = try await Self.send(server, "DELETE", "/api/rules/slow")
                #expect(deleted.status == 204)
                #expect(deleted.text.isEmpty)
                Self.expectError(try await Self.send(server, "DELETE", "/api/rules/slow"), 404, "no rule named 'slow'")
                Self.expectError(try await Self.get(server, "/api/rules/slow"), 404)

                // A rule from stratcon.conf is changed there, never through the API.
                let fromConfig = try AlertRule(attributes: ["name": "conf-rule", "type": "absence", "window": "10m"], source: .config)
                try await server.alerts.replaceConfigRules([fromConfig])
                let listed = try await Self.get(server, "/api/rules/conf-rule")
                #expect(listed.object["source"] as? String == "config")
                #expect(listed.object["window"] as? String == "10m")
                Self.expectError(
                    try await Self.send(server, "PUT", "/api/rules/conf-rule", #"{"type":"absence","window":"1h"}"#), 409, "stratcon.conf")
                Self.expectError(try await Self.send(server, "DELETE", "/api/rules/conf-rule"), 409, "stratcon.conf")
                Self.expectError(try await Self.send(server, "POST", "/api/rules", #"{"name":"conf-rule","type":"absence","window":"1h"}"#), 409)
                #expect(try await Self.get(server, "/api/rules/conf-rule").object["window"] as? String == "10m")

                // A stored rule that no longer validates is listed with its problem.
                _ = try await server.alerts.client.query(
                    "INSERT INTO alert_rules (name, definition, source) VALUES ('old', '{\"name\":\"old\",\"type\":\"bogus\"}'::jsonb, 'api')",
                    logger: FreshDatabase.logger)
                let old = try await Self.get(server, "/api/rules/old")
                #expect(old.status == 200)
                #expect((old.object["problem"] as? String)?.contains("type must be one of") == true)
                #expect(try await Self.get(server, "/api/rules").list("rules").compactMap { $0["name"] as? String } == ["any-down", "conf-rule", "disk-full", "old"])
            }
        }
    }

    @Test("rules: every problem of an invalid rule named at once; bad bodies, mismatched names and markup refused")
    func ruleRefusals() async throws {
        try await FreshDatabase.with { configuration, _ in
            try await Self.serve(configuration, withEngine: false) { server in
                Self.expectError(
                    try await Self.send(
                        server, "POST", "/api/rules",
                        #"{"name":"bad name!","type":"threshold","severity":"loud","above":"lots","frobnicate":1,"consecutive":0,"checks":["nope"]}"#),
                    400, "rule refused", "name must be", "unknown attribute 'frobnicate'", "severity must be one of",
                    "above 'lots' must be a finite number", "give exactly one of above or below", "consecutive '0'",
                    "checks: 'nope' is not a uuid", "metric is required")
                Self.expectError(try await Self.send(server, "POST", "/api/rules", #"{"name":"x"}"#), 400, "type must be one of")
                Self.expectError(
                    try await Self.send(server, "POST", "/api/rules", #"{"name":"f","type":"forecast","metric":"m","above":1}"#),
                    400, "window", "horizon")
                Self.expectError(
                    try await Self.send(server, "POST", "/api/rules", #"{"name":"t","type":"threshold","metric":"m","above":10,"clear":20}"#),
                    400, "clear 20", "must not be above the level 10")

                // Not an object, or values that are neither text, number, boolean nor list of text.
                for body in ["[1,2]", #""rule""#, "42", "null", "not json", "", #"{"name":"x","type":"status","on":{"bad":true}}"#, #"{"name":null,"type":"status"}"#, #"{"name":"x","type":"status","on":[1]}"#] {
                    Self.expectError(try await Self.send(server, "POST", "/api/rules", body), 400, "JSON object")
                }

                // The body is limited to 64 KiB.
                let big = FileManager.default.temporaryDirectory.appendingPathComponent("alert-api-big-\(UUID().uuidString).json")
                defer { try? FileManager.default.removeItem(at: big) }
                try Data(("{\"name\":\"big\",\"type\":\"status\",\"check\":\"" + String(repeating: "x", count: 70_000) + "\"}").utf8).write(to: big)
                Self.expectError(try await Self.send(server, "POST", "/api/rules", "@" + big.path), 413, "at most 65536 bytes")
                Self.expectError(try await Self.send(server, "PUT", "/api/rules/big", "@" + big.path), 413)

                Self.expectError(
                    try await Self.send(server, "PUT", "/api/rules/alpha", #"{"name":"beta","type":"status"}"#), 400, "'beta'", "'alpha'")

                // Markup in a name: refused by the name's character set, in the body or the path.
                Self.expectError(
                    try await Self.send(server, "POST", "/api/rules", #"{"name":"<script>alert(1)</script>","type":"status"}"#), 400, "name must be")
                let inPath = try await Self.send(server, "PUT", "/api/rules/%3Cscript%3E", #"{"type":"status"}"#)
                Self.expectError(inPath, 400, "name must be")
                let missing = try await Self.get(server, "/api/rules/%3Cscript%3E")
                // Path parameters arrive as sent (still percent-encoded).
                Self.expectError(missing, 404, "no rule named '%3Cscript%3E'")
                #expect(!missing.text.contains("<"))  // written as \u003c by the JSON writer
                #expect(try await Self.get(server, "/api/rules").list("rules").isEmpty)
            }
        }
    }

    // MARK: - Alerts and the outbox

    @Test("alerts: open by default, all, by check, limited; one alert with history and outbox; acknowledged once")
    func alerts() async throws {
        try await FreshDatabase.with { configuration, store in
            try await Self.serve(configuration) { server in
                let ids = try await Self.seedAlerts(server, store)
                let open = try await Self.get(server, "/api/alerts")
                #expect(open.status == 200)
                let openList = open.list("alerts")
                // Newest first: gamma opened a minute after beta.
                #expect(openList.compactMap { $0["check"] as? String } == ["gamma", "beta"])
                let beta = try #require(openList.last)
                #expect(Self.number(beta["id"]) == Double(ids[Self.beta] ?? 0))
                #expect(beta["key"] as? String == "high-latency|\(Self.beta.lowercasedString)|latency")
                #expect(beta["rule"] as? String == "high-latency")
                #expect(beta["uuid"] as? String == Self.beta.lowercasedString)
                #expect(beta["target"] as? String == "10.0.0.2")
                #expect(beta["metric"] as? String == "latency")
                #expect(beta["severity"] as? String == "critical")
                #expect(beta["state"] as? String == "open")
                #expect(Self.number(beta["value"]) == 200)
                #expect((beta["summary"] as? String)?.hasPrefix("[high-latency] beta latency (10.0.0.2): ") == true)
                #expect(beta["silenced"] as? Bool == false)
                #expect(beta["resolved_at"] is NSNull)
                #expect(beta["acknowledged_at"] is NSNull)
                #expect(beta["acknowledged_by"] is NSNull)
                #expect((beta["details"] as? [String: Any])?["kind"] as? String == "threshold")
                #expect((beta["details"] as? [String: Any])?["condition"] as? String == "firing")
                #expect(Self.milliseconds(beta["opened_at"]) == Self.milliseconds(openList.first?["opened_at"]).map { $0 - Self.minute })

                let all = try await Self.get(server, "/api/alerts?state=all")
                #expect(all.list("alerts").compactMap { $0["check"] as? String } == ["gamma", "beta", "alpha"])
                let resolved = try await Self.get(server, "/api/alerts?state=resolved")
                let alpha = try #require(resolved.list("alerts").first)
                #expect(resolved.list("alerts").count == 1)
                #expect(alpha["state"] as? String == "resolved")
                #expect(Self.milliseconds(alpha["resolved_at"]) == Self.milliseconds(alpha["opened_at"]).map { $0 + 3 * Self.minute })
                #expect(Self.number(alpha["value"]) == 150)  // the value that opened it

                let byCheck = try await Self.get(server, "/api/alerts?state=all&check=\(Self.alpha)")
                #expect(byCheck.list("alerts").compactMap { $0["check"] as? String } == ["alpha"])
                #expect(try await Self.get(server, "/api/alerts?check=\(Self.alpha)").list("alerts").isEmpty)
                let limited = try await Self.get(server, "/api/alerts?state=all&limit=1")
                #expect(limited.list("alerts").compactMap { $0["check"] as? String } == ["gamma"])

                Self.expectError(try await Self.get(server, "/api/alerts?state=closed"), 400, "state 'closed'")
                Self.expectError(try await Self.get(server, "/api/alerts?check=nope"), 400, "'nope' is not a uuid")
                Self.expectError(try await Self.get(server, "/api/alerts?limit=0"), 400, "limit '0'")
                Self.expectError(try await Self.get(server, "/api/alerts?sort=asc"), 400, "unknown parameter 'sort'")

                // One alert: the record, its history and its notifications (newest first).
                let alphaID = try #require(ids[Self.alpha])
                let detail = try await Self.get(server, "/api/alerts/\(alphaID)")
                #expect(detail.status == 200)
                #expect((detail.object["alert"] as? [String: Any])?["check"] as? String == "alpha")
                let history = detail.list("history")
                #expect(history.compactMap { $0["event"] as? String } == ["opened", "resolved"])
                #expect((history.first?["detail"] as? String)?.hasPrefix("[high-latency] alpha latency (10.0.0.1): ") == true)
                #expect(history.allSatisfy { Self.milliseconds($0["at"]) != nil })
                let outbox = detail.list("outbox")
                #expect(outbox.compactMap { $0["action"] as? String } == ["resolve", "trigger"])
                #expect(outbox.allSatisfy {
                    $0["hook"] as? String == "pager" && $0["state"] as? String == "pending" && Self.number($0["attempts"]) == 0
                        && Self.number($0["alert_id"]) == Double(alphaID) && $0["key"] as? String == "high-latency|\(Self.alpha.lowercasedString)|latency"
                        && Self.milliseconds($0["next_attempt_at"]) != nil && $0["delivered_at"] is NSNull && $0["last_status"] is NSNull
                })

                // Acknowledged once, with who and why in the history.
                let betaID = try #require(ids[Self.beta])
                let ack = try await Self.send(server, "POST", "/api/alerts/\(betaID)/ack", #"{"by":"ops","note":"looking"}"#)
                #expect(ack.status == 200, "\(ack.text)")
                let acked = try #require(ack.object["alert"] as? [String: Any])
                #expect(acked["acknowledged_by"] as? String == "ops")
                let ackedAt = try #require(Self.milliseconds(acked["acknowledged_at"]))
                #expect(abs(ackedAt - Self.nowMs) < 60_000)
                #expect(acked["state"] as? String == "open")
                let events = ack.list("history")
                #expect(events.compactMap { $0["event"] as? String } == ["opened", "acknowledged"])
                #expect(events.last?["detail"] as? String == "by ops: looking")
                #expect(ack.list("outbox").count == 1)
                Self.expectError(
                    try await Self.send(server, "POST", "/api/alerts/\(betaID)/ack", #"{"by":"someone else"}"#), 409, "already acknowledged")
                let listed = try await Self.get(server, "/api/alerts")
                #expect(listed.list("alerts").last?["acknowledged_by"] as? String == "ops")

                Self.expectError(try await Self.send(server, "POST", "/api/alerts/999999/ack", #"{"by":"ops"}"#), 404, "no alert 999999")
                Self.expectError(try await Self.send(server, "POST", "/api/alerts/abc/ack", #"{"by":"ops"}"#), 400, "'abc' is not an id")
                Self.expectError(try await Self.send(server, "POST", "/api/alerts/0/ack", #"{"by":"ops"}"#), 400, "'0' is not an id")
                let gammaID = try #require(ids[Self.gamma])
                Self.expectError(try await Self.send(server, "POST", "/api/alerts/\(gammaID)/ack", #"{"note":"no name"}"#), 400, "by")
                Self.expectError(try await Self.send(server, "POST", "/api/alerts/\(gammaID)/ack", #"{"by":""}"#), 400, "by")
                Self.expectError(try await Self.send(server, "POST", "/api/alerts/\(gammaID)/ack", #"{"by":7}"#), 400, "by")
                Self.expectError(try await Self.send(server, "POST", "/api/alerts/\(gammaID)/ack", "[]"), 400, "JSON object")
                // None of the refusals acknowledged it.
                #expect((try await Self.get(server, "/api/alerts/\(gammaID)").object["alert"] as? [String: Any])?["acknowledged_at"] is NSNull)

                Self.expectError(try await Self.get(server, "/api/alerts/999999"), 404, "no alert 999999")
                Self.expectError(try await Self.get(server, "/api/alerts/1.5"), 400, "is not an id")
                Self.expectError(try await Self.get(server, "/api/alerts/99999999999999999999"), 400, "is not an id")
            }
        }
    }

    @Test("outbox: all entries newest first, filtered by state; an unknown state is refused")
    func outbox() async throws {
        try await FreshDatabase.with { configuration, store in
            try await Self.serve(configuration) { server in
                let ids = try await Self.seedAlerts(server, store)
                // What the outbox worker writes for a delivery, for the oldest entry.
                _ = try await store.connection.query(
                    """
                    UPDATE alert_outbox SET state = 'delivered', attempts = 1, delivered_at = now(), last_status = 202
                    WHERE id = (SELECT min(id) FROM alert_outbox)
                    """, logger: FreshDatabase.logger)

                let all = try await Self.get(server, "/api/outbox")
                #expect(all.status == 200)
                let entries = all.list("outbox")
                #expect(entries.count == 4)
                let entryIDs = entries.compactMap { Self.number($0["id"]) }
                #expect(entryIDs == entryIDs.sorted(by: >))
                // In the order of the transitions: alpha, beta, gamma open, then alpha resolves.
                #expect(entries.compactMap { $0["action"] as? String } == ["resolve", "trigger", "trigger", "trigger"])
                #expect(entries.compactMap { Self.number($0["alert_id"]) } == [ids[Self.alpha], ids[Self.gamma], ids[Self.beta], ids[Self.alpha]].map { Double($0 ?? 0) })
                #expect(try await Self.get(server, "/api/outbox?state=all").list("outbox").count == 4)

                let delivered = try await Self.get(server, "/api/outbox?state=delivered").list("outbox")
                #expect(delivered.count == 1)
                #expect(delivered.first?["state"] as? String == "delivered")
                #expect(Self.number(delivered.first?["alert_id"]) == Double(ids[Self.alpha] ?? 0))
                #expect(Self.number(delivered.first?["last_status"]) == 202)
                #expect(Self.number(delivered.first?["attempts"]) == 1)
                #expect(Self.milliseconds(delivered.first?["delivered_at"]) != nil)
                #expect(delivered.first?["next_attempt_at"] is NSNull)  // only a pending entry has one
                #expect(delivered.first?["last_error"] is NSNull)

                let pending = try await Self.get(server, "/api/outbox?state=pending").list("outbox")
                #expect(pending.count == 3)
                #expect(pending.allSatisfy { $0["state"] as? String == "pending" && Self.milliseconds($0["next_attempt_at"]) != nil })
                #expect(try await Self.get(server, "/api/outbox?state=rejected").list("outbox").isEmpty)
                #expect(try await Self.get(server, "/api/outbox?state=abandoned").list("outbox").isEmpty)
                #expect(try await Self.get(server, "/api/outbox?limit=2").list("outbox").count == 2)

                Self.expectError(try await Self.get(server, "/api/outbox?state=sent"), 400, "state 'sent'", "pending, delivered, rejected, abandoned, all")
                Self.expectError(try await Self.get(server, "/api/outbox?limit=100000"), 400, "limit")
                Self.expectError(try await Self.get(server, "/api/outbox?alert=1"), 400, "unknown parameter 'alert'")
            }
        }
    }

    // MARK: - Silences

    @Test("silences: added by duration or start and end, listed while not over, ended; refusals; comment text kept verbatim")
    func silences() async throws {
        try await FreshDatabase.with { configuration, _ in
            try await Self.serve(configuration, withEngine: false) { server in
                let comment = "deploy <script>alert(1)</script> & \"quotes\""
                let commentJSON = String(decoding: try JSONSerialization.data(withJSONObject: [comment], options: []), as: UTF8.self).dropFirst().dropLast()
                let byDuration = try await Self.send(
                    server, "POST", "/api/silences",
                    #"{"check":"\#(Self.alpha.uuidString)","duration":"2h","comment":\#(commentJSON),"created_by":"ops"}"#)
                #expect(byDuration.status == 201, "\(byDuration.text)")
                let first = byDuration.object
                let firstID = try #require(Self.number(first["id"]))
                #expect(first["active"] as? Bool == true)
                #expect(first["check"] as? String == Self.alpha.lowercasedString)
                #expect(first["rule"] is NSNull)
                #expect(first["target"] is NSNull)
                #expect(first["created_by"] as? String == "ops")
                // The markup comes back as the same text; only the JSON writer escaped it.
                #expect(first["comment"] as? String == comment)
                #expect(!byDuration.text.contains("<script>"))
                #expect(byDuration.text.contains(#"\u003cscript>"#))
                let starts = try #require(Self.milliseconds(first["starts_at"]))
                let ends = try #require(Self.milliseconds(first["ends_at"]))
                #expect(ends - starts == 2 * 3_600_000)
                #expect(abs(starts - Self.nowMs) < 60_000)

                // Explicit times: RFC 3339, and relative ones.
                let now = Self.nowMs
                let laterStart = now + 3_600_000, laterEnd = now + 3 * 3_600_000
                let scheduled = try await Self.send(
                    server, "POST", "/api/silences",
                    #"{"rule":"high-latency","start":"\#(Self.rfc3339(laterStart))","end":"\#(Self.rfc3339(laterEnd))"}"#)
                #expect(scheduled.status == 201, "\(scheduled.text)")
                #expect(scheduled.object["active"] as? Bool == false)
                #expect(Self.milliseconds(scheduled.object["starts_at"]) == laterStart)
                #expect(Self.milliseconds(scheduled.object["ends_at"]) == laterEnd)
                #expect(scheduled.object["comment"] as? String == "")
                let scheduledID = try #require(Self.number(scheduled.object["id"]))
                let relative = try await Self.send(server, "POST", "/api/silences", #"{"target":"10.0.*","start":"-1h","end":"+1h"}"#)
                #expect(relative.status == 201, "\(relative.text)")
                #expect(relative.object["active"] as? Bool == true)
                #expect(relative.object["target"] as? String == "10.0.*")
                let relativeID = try #require(Self.number(relative.object["id"]))
                let past = try await Self.send(
                    server, "POST", "/api/silences",
                    #"{"target":"*","start":"\#(Self.rfc3339(now - 3 * 3_600_000))","end":"\#(Self.rfc3339(now - 3_600_000))","comment":"last night"}"#)
                #expect(past.status == 201, "\(past.text)")
                #expect(past.object["active"] as? Bool == false)
                let pastID = try #require(Self.number(past.object["id"]))

                for (body, message) in [
                    (#"{"duration":"1h","comment":"everything?"}"#, "at least one of rule, check or target"),
                    (#"{"rule":"","check":"","target":"","duration":"1h"}"#, "at least one of rule, check or target"),
                    (#"{"rule":"x","start":"+2h","end":"+1h"}"#, "must end after it starts"),
                    (#"{"rule":"x","start":"now","end":"now"}"#, "must end after it starts"),
                    (#"{"rule":"x","duration":"1h","reason":"y"}"#, "unknown field 'reason'"),
                    (#"{"rule":"x"}"#, "give end or duration"),
                    (#"{"rule":"x","duration":"forever"}"#, "duration 'forever'"),
                    (#"{"rule":"x","duration":"-1h"}"#, "duration '-1h'"),
                    (#"{"rule":"x","start":"yesterday","duration":"1h"}"#, "start 'yesterday' is not a time"),
                    (#"{"rule":"x","end":"soon"}"#, "end 'soon' is not a time"),
                    (#"{"check":"not-a-uuid","duration":"1h"}"#, "check 'not-a-uuid' is not a uuid"),
                    (#"{"rule":"x","duration":"1h","comment":42}"#, "comment must be text"),
                    (#"["rule"]"#, "JSON object"),
                    ("rule=x", "JSON object"),
                ] {
                    Self.expectError(try await Self.send(server, "POST", "/api/silences", body), 400, message)
                }

                // Listed while not over (active or still to come), newest start first; all with expired=true.
                let listed = try await Self.get(server, "/api/silences")
                #expect(listed.status == 200)
                #expect(listed.list("silences").compactMap { Self.number($0["id"]) } == [scheduledID, firstID, relativeID])
                #expect(listed.list("silences").compactMap { $0["active"] as? Bool } == [false, true, true])
                #expect(listed.list("silences").first { Self.number($0["id"]) == firstID }?["comment"] as? String == comment)
                let everything = try await Self.get(server, "/api/silences?expired=true")
                #expect(everything.list("silences").compactMap { Self.number($0["id"]) } == [scheduledID, firstID, relativeID, pastID])
                #expect(try await Self.get(server, "/api/silences?expired=false").list("silences").count == 3)
                Self.expectError(try await Self.get(server, "/api/silences?expired=yes"), 400, "expired 'yes'")

                // Ending one: kept for the record, no longer active.
                let ended = try await Self.send(server, "DELETE", "/api/silences/\(Int64(firstID))")
                #expect(ended.status == 204)
                #expect(ended.text.isEmpty)
                #expect(try await Self.get(server, "/api/silences").list("silences").compactMap { Self.number($0["id"]) } == [scheduledID, relativeID])
                let record = try #require(try await Self.get(server, "/api/silences?expired=true").list("silences").first { Self.number($0["id"]) == firstID })
                #expect(record["active"] as? Bool == false)
                #expect(abs((Self.milliseconds(record["ends_at"]) ?? 0) - Self.nowMs) < 60_000)
                Self.expectError(try await Self.send(server, "DELETE", "/api/silences/\(Int64(firstID))"), 404, "no active silence")
                Self.expectError(try await Self.send(server, "DELETE", "/api/silences/\(Int64(pastID))"), 404, "no active silence")

                // Ending one that has not started yet cancels it: it never becomes active.
                let cancelled = try await Self.send(server, "DELETE", "/api/silences/\(Int64(scheduledID))")
                #expect(cancelled.status == 204)
                #expect(try await Self.get(server, "/api/silences").list("silences").compactMap { Self.number($0["id"]) } == [relativeID])
                Self.expectError(try await Self.send(server, "DELETE", "/api/silences/\(Int64(scheduledID))"), 404, "no active silence")

                Self.expectError(try await Self.send(server, "DELETE", "/api/silences/999999"), 404, "no active silence 999999")
                Self.expectError(try await Self.send(server, "DELETE", "/api/silences/abc"), 400, "'abc' is not an id")
            }
        }
    }

    // MARK: - A check's alerting view

    @Test("check alerting: the rule series with their condition, anomaly bands, a forecast's trend up to a future end")
    func checkAlerting() async throws {
        try await FreshDatabase.with { configuration, store in
            try await Self.serve(configuration) { server in
                for rule in [
                    #"{"name":"lat-high","type":"threshold","metric":"latency","above":100}"#,
                    #"{"name":"lat-learning","type":"anomaly","metric":"latency"}"#,
                    #"{"name":"lat-quick","type":"anomaly","metric":"latency","min_history":"1h","sensitivity":6}"#,
                    #"{"name":"disk-fill","type":"forecast","metric":"disk","above":90,"window":"2h","horizon":"1d"}"#,
                ] {
                    let created = try await Self.send(server, "POST", "/api/rules", rule)
                    #expect(created.status == 201, "\(created.text)")
                }
                // Three hours of one-minute values up to a minute ago: latency steady but for
                // the last value, disk rising by 0.2 a minute.
                let check = Self.alpha
                let start = (Self.nowMs / Self.minute - 180) * Self.minute
                var records: [Record] = [.check(timestamp: Self.at(start), uuid: check, target: "10.0.0.1", module: "http", name: "alpha")]
                for index in Int64(0)..<180 {
                    let time = start + index * Self.minute
                    records.append(Self.latency(check, time, index == 179 ? 150 : 50 + Double(index % 5)))
                    records.append(.metric(timestamp: Self.at(time), uuid: check, metric: Metric("disk", .double(10 + 0.2 * Double(index)))))
                }
                try await Self.commit(records, store: store, engine: server.engine)
                // The threshold fires on the last value; the forecast long before.
                try await Self.waitFor("two open alerts", store.connection, "SELECT count(*)::int FROM alerts WHERE state = 'open'", atLeast: 2)

                let overview = try await Self.get(server, "/api/checks/\(check)/alerting")
                #expect(overview.status == 200)
                #expect(overview.object["bands"] == nil)
                #expect(overview.object["trends"] == nil)
                let series = overview.list("series")
                // In the order of their keys (rule|check|metric).
                #expect(series.compactMap { $0["rule"] as? String } == ["disk-fill", "lat-high", "lat-learning", "lat-quick"])
                let byRule = Dictionary(series.compactMap { entry in (entry["rule"] as? String).map { ($0, entry) } }, uniquingKeysWith: { $1 })
                #expect(series.compactMap { $0["kind"] as? String } == ["forecast", "threshold", "anomaly", "anomaly"])
                #expect(series.compactMap { $0["metric"] as? String } == ["disk", "latency", "latency", "latency"])
                #expect(byRule["lat-high"]?["condition"] as? String == "firing")
                #expect(byRule["lat-high"]?["open"] as? Bool == true)
                #expect((byRule["lat-high"]?["summary"] as? String)?.contains("150") == true)
                #expect(byRule["disk-fill"]?["condition"] as? String == "firing")
                #expect(byRule["disk-fill"]?["open"] as? Bool == true)
                #expect((byRule["disk-fill"]?["summary"] as? String)?.contains("90") == true)
                // A day of history is needed by default: still learning, and it says so.
                #expect(byRule["lat-learning"]?["condition"] as? String == "learning")
                #expect(byRule["lat-learning"]?["open"] as? Bool == false)
                #expect((byRule["lat-learning"]?["summary"] as? String)?.hasPrefix("not enough history yet") == true)
                #expect(["normal", "pending", "firing"].contains(byRule["lat-quick"]?["condition"] as? String ?? "none"))
                let openAlerts = overview.list("open_alerts")
                #expect(Set(openAlerts.compactMap { $0["rule"] as? String }) == ["lat-high", "disk-fill"])
                #expect(openAlerts.allSatisfy { $0["uuid"] as? String == check.lowercasedString && $0["state"] as? String == "open" })

                // Bands of the anomaly rules; the learning one has no points yet. The range
                // reaches an hour into the future.
                let latency = try await Self.get(server, "/api/checks/\(check)/alerting?metric=latency&start=-3h&end=%2B1h&points=50")
                #expect(latency.status == 200, "\(latency.text)")
                #expect(latency.list("trends").isEmpty)
                let bands = latency.list("bands")
                #expect(bands.compactMap { $0["rule"] as? String } == ["lat-learning", "lat-quick"])
                #expect(bands.allSatisfy { $0["metric"] as? String == "latency" })
                #expect((bands.first?["points"] as? [Any])?.isEmpty == true)
                let points = (bands.last?["points"] as? [[Any]] ?? []).map { $0.map { Self.number($0) } }
                #expect(points.count == 50)
                let nowMs = Self.nowMs
                #expect(points.allSatisfy { point in
                    guard point.count == 4, let time = point[0], let lower = point[1], let expected = point[2], let upper = point[3] else { return false }
                    return lower <= expected && expected <= upper && lower < 52 && upper > 52
                        && time >= Double(nowMs - 3 * 3_600_000 - 60_000) && time <= Double(nowMs + 3_600_000)
                })
                #expect((points.last?[0] ?? 0) > Double(nowMs + 3_000_000))  // the band goes on into the future

                // The forecast's trend between the range's ends, the end in the future as the UI
                // asks for it (epoch seconds, a quarter of the range ahead).
                let startSeconds = nowMs / 1000 - 3 * 3600, endSeconds = nowMs / 1000 + 45 * 60
                let disk = try await Self.get(server, "/api/checks/\(check)/alerting?metric=disk&start=\(startSeconds)&end=\(endSeconds)&points=200")
                #expect(disk.status == 200, "\(disk.text)")
                #expect(disk.list("bands").isEmpty)
                let trends = disk.list("trends")
                #expect(trends.count == 1)
                let trend = try #require(trends.first)
                #expect(trend["rule"] as? String == "disk-fill")
                #expect(trend["metric"] as? String == "disk")
                #expect(Self.number(trend["level"]) == 90)
                let slope = try #require(Self.number(trend["slope_per_second"]))
                #expect(abs(slope - 0.2 / 60) < 1e-9)
                let ends = (trend["points"] as? [[Any]] ?? []).map { $0.map { Self.number($0) } }
                #expect(ends.count == 2)
                #expect(ends.first?[0] == Double(startSeconds * 1000))
                #expect(ends.last?[0] == Double(endSeconds * 1000))
                if ends.count == 2, let t0 = ends[0][0], let v0 = ends[0][1], let t1 = ends[1][0], let v1 = ends[1][1] {
                    #expect(abs((v1 - v0) / (t1 - t0) * 1000 - slope) < 1e-9)
                    // The line goes through the series: 45.8 at its last value.
                    let last = Double(start + 179 * Self.minute)
                    #expect(abs(v0 + (last - t0) * slope / 1000 - 45.8) < 1e-6)
                }

                // A metric without a band or trend rule, and a check no rule watches.
                let plain = try await Self.get(server, "/api/checks/\(check)/alerting?metric=duration")
                #expect(plain.list("bands").isEmpty && plain.list("trends").isEmpty)
                #expect(plain.object["bands"] != nil)
                let other = try await Self.get(server, "/api/checks/\(Self.gamma)/alerting?metric=latency")
                #expect(other.status == 200)
                #expect(other.list("series").isEmpty && other.list("open_alerts").isEmpty && other.list("bands").isEmpty)

                Self.expectError(try await Self.get(server, "/api/checks/not-a-uuid/alerting"), 400, "is not a uuid")
                Self.expectError(try await Self.get(server, "/api/checks/\(check)/alerting?metric=disk&step=5"), 400, "unknown parameter 'step'")
                Self.expectError(try await Self.get(server, "/api/checks/\(check)/alerting?start=%2B1h&end=now"), 400, "start must be before end")
                Self.expectError(try await Self.get(server, "/api/checks/\(check)/alerting?metric=disk&points=1"), 400, "points '1'")
                Self.expectError(try await Self.get(server, "/api/checks/\(check)/alerting?metric=disk&metric=latency"), 400, "given 2 times")
                Self.expectError(try await Self.get(server, "/api/checks/\(check)/alerting?end=later"), 400, "end 'later' is not a time")
            }
        }
    }

    @Test("errors: every refusal of the alert API is JSON with a message; without an engine the check view is empty")
    func errorsAreJSON() async throws {
        try await FreshDatabase.with { configuration, _ in
            try await Self.serve(configuration, withEngine: false) { server in
                let reply = try await Self.get(server, "/api/checks/\(Self.alpha)/alerting?metric=latency&end=%2B1h")
                #expect(reply.status == 200, "\(reply.text)")
                #expect(reply.contentType == "application/json")
                #expect(reply.list("series").isEmpty)
                #expect(reply.list("open_alerts").isEmpty)
                #expect(reply.object["bands"] == nil)

                let cases: [(String, String, String?, Int, String)] = [
                    ("GET", "/api/rules?x=1", nil, 400, "unknown parameter 'x'"),
                    ("GET", "/api/rules/none", nil, 404, "no rule named 'none'"),
                    ("POST", "/api/rules", "{", 400, "JSON object"),
                    ("POST", "/api/rules", #"{"name":"a","type":"status","metric":"m"}"#, 400, "remove metric"),
                    ("PUT", "/api/rules/a", #"{"name":"b","type":"status"}"#, 400, "'b'"),
                    ("DELETE", "/api/rules/none", nil, 404, "no rule named 'none'"),
                    ("GET", "/api/alerts?state=x", nil, 400, "state 'x'"),
                    ("GET", "/api/alerts/x", nil, 400, "'x' is not an id"),
                    ("GET", "/api/alerts/7", nil, 404, "no alert 7"),
                    ("POST", "/api/alerts/7/ack", #"{"by":"ops"}"#, 404, "no alert 7"),
                    ("POST", "/api/alerts/7/ack", "{}", 400, "by"),
                    ("POST", "/api/alerts/x/ack", #"{"by":"ops"}"#, 400, "'x' is not an id"),
                    ("GET", "/api/outbox?state=x", nil, 400, "state 'x'"),
                    ("GET", "/api/silences?expired=x", nil, 400, "expired 'x'"),
                    ("POST", "/api/silences", "{}", 400, "at least one of rule, check or target"),
                    ("DELETE", "/api/silences/7", nil, 404, "no active silence 7"),
                    ("DELETE", "/api/silences/x", nil, 400, "'x' is not an id"),
                    ("GET", "/api/checks/x/alerting", nil, 400, "'x' is not a uuid"),
                    ("GET", "/api/checks/\(Self.alpha)/alerting?points=0", nil, 400, "points '0'"),
                    ("GET", "/api/rules/a/b", nil, 404, "no API endpoint"),
                ]
                for (method, path, body, status, message) in cases {
                    let reply = try await Self.send(server, method, path, body)
                    #expect(reply.status == status, "\(method) \(path): \(reply.text)")
                    #expect(reply.contentType == "application/json", "\(method) \(path)")
                    #expect(Array(reply.object.keys) == ["error"], "\(method) \(path): \(reply.text)")
                    #expect(reply.error?.contains(message) == true, "\(method) \(path): \(reply.text)")
                }
            }
        }
    }
}
