import Foundation
import NoitTestSupport
import PostgresNIO
import Stratcon
import Synchronization
import Testing

/// Alerting end to end with real processes: a noitd runs an external check whose value the
/// test controls through a file, stratcond stores it and runs the rules, and a real HTTP
/// receiver (or a real Alertmanager) gets the notifications.
@Suite("Alerting end to end: noitd → stratcond → hook", .serialized)
struct AlertingProcessTests {
    typealias Platform = PlatformProcessTests.Platform

    /// One platform with one external check reporting the number in `valueFile` as metric `value`.
    struct Scenario {
        let platform: Platform
        let check = UUID()
        let valueFile: String
        let dsn: String

        init(configuration: PostgresConnection.Configuration) throws {
            let server = try TestPostgres.configuration()
            dsn = "<database dsn=\"postgres://\(server.user)@\(server.host):\(server.port)/\(configuration.database ?? "")\"/>"
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("value-\(UUID().uuidString)").path
            valueFile = file
            let element = """
                <check uuid="\(check)" module="external" name="value-check">
                  <config><command>/bin/sh</command><arg1>-c</arg1><arg2>echo "OK | value=$(cat \(file))"</arg2></config>
                </check>
                """
            platform = try Platform(checks: 1, database: dsn, checkElements: element)
            try set(1)
        }

        func set(_ value: Double) throws {
            try "\(value)\n".write(toFile: valueFile, atomically: true, encoding: .utf8)
        }

        var alertKey: String { "high-value|\(check.uuidString.lowercased())|value" }

        static let quickRetry = "<retry initial=\"200ms\" max=\"2s\"/>"

        func alerting(hooks: String, retry: String = Scenario.quickRetry) -> String {
            """
            <alerting ui_url="http://ui.example:8080">
              \(retry)
              <hooks>\(hooks)</hooks>
              <rules>
                <rule name="high-value" type="threshold" severity="critical" metric="value" above="10" clear="5" consecutive="1"/>
              </rules>
            </alerting>
            """
        }

        func remove() {
            platform.remove()
            try? FileManager.default.removeItem(atPath: valueFile)
        }
    }

    static func count(_ connection: PostgresConnection, _ query: PostgresQuery) async throws -> Int {
        try await connection.values(query, as: Int.self).first ?? 0
    }

    /// Waits for a condition on the database (a guard ends it after two minutes).
    static func waitFor(_ what: String, _ connection: PostgresConnection, _ query: PostgresQuery, atLeast target: Int = 1) async throws {
        let deadline = ContinuousClock.now + .seconds(120)
        while try await count(connection, query) < target {
            guard ContinuousClock.now < deadline else {
                Issue.record("timed out waiting for \(what)")
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    static let valuesQuery: PostgresQuery = "SELECT count(*)::int FROM metric_numeric_archive WHERE name = 'value'"

    static func valuesStored(_ connection: PostgresConnection) async throws -> Int {
        try await count(connection, valuesQuery)
    }

    /// Waits until `more` values of the check beyond those stored now are stored.
    static func waitForMoreValues(_ more: Int, _ connection: PostgresConnection) async throws {
        let before = try await valuesStored(connection)
        try await waitFor("more values", connection, valuesQuery, atLeast: before + more)
    }

    /// What `withPlatform` started.
    struct Running {
        let noitPort: Int
        let stratcond: ChildProcess
        let apiPort: Int
    }

    /// A fresh database, noitd and a stratcond with `hooks` (and the threshold rule) running,
    /// and the first values stored and judged normal.
    static func withPlatform(
        hooks: String, retry: String = Scenario.quickRetry,
        _ body: (Scenario, ArchiveStore, Running) async throws -> Void
    ) async throws {
        try await FreshDatabase.with { configuration, store in
            let scenario = try Scenario(configuration: configuration)
            defer { scenario.remove() }
            let (noitd, port) = try await scenario.platform.startNoitd()
            defer { noitd.signal(SIGKILL) }
            try scenario.platform.stratcon(
                feedPort: port, database: scenario.dsn, extra: scenario.alerting(hooks: hooks, retry: retry))
            let (stratcond, api) = try await scenario.platform.startStratcondWithAPI()
            defer { stratcond.signal(SIGKILL) }
            try await waitFor("normal values", store.connection, valuesQuery, atLeast: 2)
            try await body(scenario, store, Running(noitPort: port, stratcond: stratcond, apiPort: api))
        }
    }

    static func object(_ request: HookReceiver.Request) -> [String: Any] { request.json as? [String: Any] ?? [:] }

    /// Every hook's timeout: only a hang crosses 120 s, while stratcond's 10 s default is within
    /// a busy machine's stall, and a timed-out request is retried, so the receiver sees it twice.
    static let hookTimeout = #"timeout="120s""#

    @Test("a threshold breach pages PagerDuty once and resolves once; the v2 body is right field by field")
    func pagesOnceResolvesOnce() async throws {
        let receiver = try await HookReceiver()
        defer { Task { await receiver.close() } }
        let hook = "<hook name=\"pager\" type=\"pagerduty\" routing_key=\"test-routing-key\" url=\"\(receiver.url)/v2/enqueue\" \(Self.hookTimeout)/>"
        try await Self.withPlatform(hooks: hook) { scenario, store, running in
            #expect(receiver.requests.isEmpty)

            try scenario.set(20)
            let triggered = await receiver.waitForRequests(1)
            let trigger = try #require(triggered.first)
            #expect(trigger.method == "POST")
            #expect(trigger.path == "/v2/enqueue")
            #expect(trigger.header("content-type")?.hasPrefix("application/json") == true)
            let body = Self.object(trigger)
            #expect(body["routing_key"] as? String == "test-routing-key")
            #expect(body["event_action"] as? String == "trigger")
            #expect(body["dedup_key"] as? String == scenario.alertKey)
            let payload = try #require(body["payload"] as? [String: Any])
            #expect((payload["summary"] as? String)?.contains("value-check value") == true)
            #expect((payload["summary"] as? String)?.contains("[high-value]") == true)
            #expect(payload["severity"] as? String == "critical")
            #expect(payload["source"] as? String == "127.0.0.1:\(running.noitPort)")
            #expect(payload["component"] as? String == "value-check")
            #expect(payload["group"] as? String == "127.0.0.1")
            #expect(payload["class"] as? String == "high-value")
            let timestamp = try #require(payload["timestamp"] as? String)
            #expect(ISO8601DateFormatter.withFractionalSeconds.date(from: timestamp) != nil)
            let custom = try #require(payload["custom_details"] as? [String: Any])
            #expect(custom["check_uuid"] as? String == scenario.check.uuidString.lowercased())
            #expect(custom["metric"] as? String == "value")
            let links = try #require(body["links"] as? [[String: Any]])
            #expect(links.first?["href"] as? String == "http://ui.example:8080/check.html?uuid=\(scenario.check.uuidString.lowercased())")

            // Still breaching: no second page.
            try await Self.waitForMoreValues(3, store.connection)
            #expect(receiver.requests.count == 1)

            try scenario.set(1)
            let resolved = await receiver.waitForRequests(2)
            #expect(resolved.count == 2)
            let resolve = Self.object(try #require(resolved.last))
            #expect(resolve["event_action"] as? String == "resolve")
            #expect(resolve["dedup_key"] as? String == scenario.alertKey)
            #expect(resolve["routing_key"] as? String == "test-routing-key")

            // The receiver answered before stratcond recorded it: wait for the record, not a time.
            #expect(try await Self.waitForDelivered(2, store.connection) == 2)
            try await Self.waitForMoreValues(3, store.connection)
            #expect(receiver.requests.count == 2)
            #expect(try await Self.count(store.connection, "SELECT count(*)::int FROM alerts") == 1)
            let events = try await store.connection.values("SELECT event FROM alert_history ORDER BY id", as: String.self)
            #expect(events == ["opened", "notified", "resolved", "notified"])
        }
    }

    @Test("a receiver answering 500 until three events are queued, then 202, gets every event, in order")
    func retriesInOrder() async throws {
        let receiver = try await HookReceiver()
        defer { Task { await receiver.close() } }
        // Flipped by the test once the events are queued behind the failing first one, so the
        // failure lasts exactly as long as the scenario needs, however slow the machine.
        let failing = Mutex(true)
        receiver.answer { _, _ in
            failing.withLock { $0 } ? .init(status: 500, body: "{\"status\":\"unavailable\"}") : .init(status: 202, body: "{}")
        }
        try await Self.withPlatform(
            hooks: "<hook name=\"pager\" type=\"pagerduty\" routing_key=\"k\" url=\"\(receiver.url)/v2/enqueue\" \(Self.hookTimeout)/>",
            retry: "<retry initial=\"500ms\" max=\"4s\"/>"
        ) { scenario, store, running in
            // trigger, resolve, trigger: three events for one key while the receiver fails.
            try scenario.set(20)
            await receiver.waitForRequests(1)
            try scenario.set(1)
            try await Self.waitFor("the resolve", store.connection, "SELECT count(*)::int FROM alerts WHERE state = 'resolved'")
            try scenario.set(20)
            try await Self.waitFor("the second trigger", store.connection, "SELECT count(*)::int FROM alert_outbox", atLeast: 3)
            #expect(receiver.requests.allSatisfy { Self.object($0)["event_action"] as? String == "trigger" })
            failing.withLock { $0 = false }

            // Every request, failed or not, follows the events' order: never a later one first.
            let delivered = try await Self.waitForDelivered(3, store.connection)
            #expect(delivered == 3)
            let sequence = receiver.requests.map { request -> String in
                let body = Self.object(request)
                let opened = (body["payload"] as? [String: Any])?["timestamp"] as? String ?? ""
                return "\(body["event_action"] as? String ?? "?")@\(opened)"
            }
            var distinct = [String]()
            for event in sequence where distinct.last != event { distinct.append(event) }
            #expect(distinct.count == 3, "\(distinct)")
            #expect(distinct.map { $0.split(separator: "@").first.map(String.init) ?? "" } == ["trigger", "resolve", "trigger"])
            #expect(receiver.requests.count > 3)  // the failures were retried
            let stillPending = try await Self.count(store.connection, "SELECT count(*)::int FROM alert_outbox WHERE state <> 'delivered'")
            #expect(stillPending == 0)
        }
    }

    static func waitForDelivered(_ target: Int, _ connection: PostgresConnection) async throws -> Int {
        try await waitFor("deliveries", connection, "SELECT count(*)::int FROM alert_outbox WHERE state = 'delivered'", atLeast: target)
        return try await count(connection, "SELECT count(*)::int FROM alert_outbox WHERE state = 'delivered'")
    }

    @Test("a 400 is not retried (and said loudly); the resolve after it is still sent")
    func badRequestNotRetried() async throws {
        let receiver = try await HookReceiver()
        defer { Task { await receiver.close() } }
        receiver.answer { _, index in
            index == 0 ? .init(status: 400, body: "{\"status\":\"invalid event\",\"errors\":[\"routing_key is invalid\"]}") : .init(status: 202)
        }
        try await Self.withPlatform(
            hooks: "<hook name=\"pager\" type=\"pagerduty\" routing_key=\"wrong\" url=\"\(receiver.url)/v2/enqueue\" \(Self.hookTimeout)/>"
        ) { scenario, store, running in
            try scenario.set(20)
            await receiver.waitForRequests(1)
            try await Self.waitFor("the refusal", store.connection, "SELECT count(*)::int FROM alert_outbox WHERE state = 'rejected'")
            let refusal = await running.stratcond.waitForLine(containing: "alert REFUSED by hook")
            #expect(refusal?.contains("routing_key is invalid") == true)
            try scenario.set(1)
            let requests = await receiver.waitForRequests(2)
            #expect(requests.map { Self.object($0)["event_action"] as? String } == ["trigger", "resolve"])
            try await Self.waitFor("the resolve delivered", store.connection, "SELECT count(*)::int FROM alert_outbox WHERE state = 'delivered'")
            // Nothing is pending, so nothing can be sent again.
            #expect(try await Self.count(store.connection, "SELECT count(*)::int FROM alert_outbox WHERE state = 'pending'") == 0)
            #expect(receiver.requests.count == 2)
            let rejected = try await store.connection.values("SELECT detail FROM alert_history WHERE event = 'rejected'", as: String.self)
            #expect(rejected.first?.contains("400") == true)
        }
    }

    @Test("stratcond killed between trigger and resolve sends exactly one resolve after restart, and no second trigger")
    func restartBetweenTriggerAndResolve() async throws {
        let receiver = try await HookReceiver()
        defer { Task { await receiver.close() } }
        try await Self.withPlatform(hooks: "<hook name=\"hook\" type=\"webhook\" url=\"\(receiver.url)/hook\" \(Self.hookTimeout)/>") { scenario, store, running in
            try scenario.set(20)
            await receiver.waitForRequests(1)
            // Killed after the delivery is recorded: killed before, the trigger is rightly sent again.
            _ = try await Self.waitForDelivered(1, store.connection)
            try await Self.waitForMoreValues(2, store.connection)
            running.stratcond.signal(SIGKILL)
            _ = await running.stratcond.waitForExit()
            try scenario.set(1)
            let second = try await scenario.platform.startStratcond()
            defer { second.signal(SIGKILL) }
            let requests = await receiver.waitForRequests(2)
            #expect(requests.map { Self.object($0)["action"] as? String } == ["trigger", "resolve"])
            #expect(requests.map { Self.object($0)["dedup_key"] as? String } == [scenario.alertKey, scenario.alertKey])
            try await Self.waitForMoreValues(3, store.connection)
            #expect(receiver.requests.count == 2)
            #expect(try await Self.count(store.connection, "SELECT count(*)::int FROM alerts") == 1)
        }
    }

    @Test("a silence on the check keeps the breach from paging, and its resolve too")
    func silenceSuppresses() async throws {
        let receiver = try await HookReceiver()
        defer { Task { await receiver.close() } }
        try await Self.withPlatform(hooks: "<hook name=\"hook\" type=\"webhook\" url=\"\(receiver.url)/hook\" \(Self.hookTimeout)/>") { scenario, store, running in
            let created = try await Curl.run([
                "-X", "POST", "-H", "content-type: application/json", "--data",
                "{\"check\":\"\(scenario.check.uuidString.lowercased())\",\"duration\":\"1h\",\"comment\":\"maintenance\",\"created_by\":\"ops\"}",
                "http://127.0.0.1:\(running.apiPort)/api/silences"])
            #expect(created.status == 201, "\(created.body)")
            try scenario.set(20)
            try await Self.waitFor("the silenced alert", store.connection, "SELECT count(*)::int FROM alerts WHERE state = 'open' AND silenced")
            try scenario.set(1)
            try await Self.waitFor("the resolve", store.connection, "SELECT count(*)::int FROM alerts WHERE state = 'resolved'")
            #expect(try await Self.count(store.connection, "SELECT count(*)::int FROM alert_outbox") == 0)
            #expect(receiver.requests.isEmpty)
            let events = try await store.connection.values("SELECT event FROM alert_history ORDER BY id", as: String.self)
            #expect(events == ["opened", "silenced", "resolved"])
            let listed = try await Curl.body(["http://127.0.0.1:\(running.apiPort)/api/alerts?state=all"])
            #expect(listed.contains("\"silenced\":true"))
        }
    }

    @Test("Debian's prometheus-alertmanager receives the alert through its real API, and its resolution")
    func alertmanager() async throws {
        let binary = "/usr/bin/prometheus-alertmanager"
        try #require(FileManager.default.isExecutableFile(atPath: binary), "scripts/setup.sh test installs prometheus-alertmanager")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("alertmanager-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
            route:
              receiver: nobody
              group_wait: 1s
            receivers:
              - name: nobody
            """.write(to: directory.appendingPathComponent("alertmanager.yml"), atomically: true, encoding: .utf8)
        let amPort = try LoopbackServer.unboundTCPPort()
        let alertmanager = try ChildProcess(executable: binary, arguments: [
            "--config.file=\(directory.path)/alertmanager.yml", "--storage.path=\(directory.path)/data",
            "--web.listen-address=127.0.0.1:\(amPort)", "--cluster.listen-address=", "--log.level=info"])
        defer { alertmanager.signal(SIGKILL) }
        _ = await alertmanager.waitForLine(containing: "Listening")
        let amURL = "http://127.0.0.1:\(amPort)"
        try await Self.withPlatform(hooks: "<hook name=\"am\" type=\"alertmanager\" url=\"\(amURL)\" \(Self.hookTimeout)/>") { scenario, store, running in
            try scenario.set(20)
            try await Self.waitFor("the delivery", store.connection, "SELECT count(*)::int FROM alert_outbox WHERE state = 'delivered'")
            let active = try await Curl.body(["\(amURL)/api/v2/alerts"])
            let alerts = try #require(try JSONSerialization.jsonObject(with: Data(active.utf8)) as? [[String: Any]])
            let ours = try #require(alerts.first { ($0["labels"] as? [String: String])?["alertname"] == "high-value" })
            let labels = try #require(ours["labels"] as? [String: String])
            #expect(labels["check_uuid"] == scenario.check.uuidString.lowercased())
            #expect(labels["severity"] == "critical")
            #expect(labels["metric"] == "value")
            #expect((ours["annotations"] as? [String: String])?["summary"]?.contains("value-check") == true)
            #expect((ours["status"] as? [String: Any])?["state"] as? String == "active")

            try scenario.set(1)
            try await Self.waitFor("the resolve delivered", store.connection, "SELECT count(*)::int FROM alert_outbox WHERE state = 'delivered'", atLeast: 2)
            let after = try await Curl.body(["\(amURL)/api/v2/alerts?active=true"])
            let remaining = try JSONSerialization.jsonObject(with: Data(after.utf8)) as? [[String: Any]] ?? []
            #expect(!remaining.contains { ($0["labels"] as? [String: String])?["alertname"] == "high-value" })
        }
    }
}

extension ISO8601DateFormatter {
    static var withFractionalSeconds: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
