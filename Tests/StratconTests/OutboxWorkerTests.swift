import AlertDelivery
import Alerting
import AsyncHTTPClient
import Foundation
import NoitTestSupport
import PostgresNIO
import ServiceLifecycle
import Testing

/// The outbox worker against a real PostgreSQL and a real HTTP receiver: Retry-After, a hook
/// that disappeared from the config, and the heartbeat.
@Suite("Outbox worker: Retry-After, vanished hooks, heartbeat")
struct OutboxWorkerTests {
    static let check = CheckInfo(uuid: UUID(), name: "edge", target: "10.0.0.9", module: "tcp", noit: "noit-a")

    static func transition(_ action: AlertTransition.Action, atMs: Int64) -> AlertTransition {
        AlertTransition(
            action: action, key: SeriesKey(rule: "rtt-high", check: check.uuid, metric: "rtt"), rule: "rtt-high", severity: .error,
            hooks: nil, check: check, value: 500, summary: "rtt 500 above 100", details: ["kind": "threshold"], atMs: atMs)
    }

    static func withWorker(
        _ configuration: PostgresConnection.Configuration, settings: AlertingSettings,
        _ body: @escaping @Sendable (OutboxWorker, AlertStore) async throws -> Void
    ) async throws {
        let client = GraphAPITests.client(configuration)
        let store = AlertStore(client: client, logger: FreshDatabase.logger)
        // 120 s: only a hang crosses it; the client's default 10 s connect timeout is within a
        // starved test process's stall, and a failed connect would be retried.
        var httpConfiguration = HTTPClient.Configuration()
        httpConfiguration.timeout.connect = .seconds(120)
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
        let worker = OutboxWorker(store: store, sender: HookSender(httpClient: http, logger: FreshDatabase.logger), settings: settings, logger: FreshDatabase.logger)
        let group = ServiceGroup(configuration: .init(services: [client, worker], logger: FreshDatabase.logger))
        do {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                do {
                    try await body(worker, store)
                } catch {
                    await group.triggerGracefulShutdown()
                    throw error
                }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }

    static func waitFor(_ connection: PostgresConnection, _ query: PostgresQuery) async throws {
        // 120 s: only a hang crosses it; a starved test process can stall for 20 s.
        let deadline = ContinuousClock.now + .seconds(120)
        while (try await connection.values(query, as: Int.self).first ?? 0) == 0 {
            guard ContinuousClock.now < deadline else {
                Issue.record("timed out")
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test("429 with Retry-After: 600 waits at least ten minutes before the next attempt")
    func retryAfter() async throws {
        let receiver = try await HookReceiver()
        defer { Task { await receiver.close() } }
        // Ten minutes, far beyond the policy's own backoff and the test's run: a retry seen
        // below can only mean the header was ignored, not that the test was slow.
        receiver.answer { _, _ in .init(status: 429, headers: [("Retry-After", "600")], body: "slow down") }
        var settings = AlertingSettings()
        // 120 s: only a hang crosses it; a timed-out request would be retried.
        settings.hooks = [HookDefinition(name: "hook", kind: .webhook(url: "\(receiver.url)/hook", headers: [:]), timeoutMs: 120_000)]
        try await FreshDatabase.with { configuration, archive in
            try await Self.withWorker(configuration, settings: settings) { worker, store in
                let now = Int64(Date().timeIntervalSince1970 * 1000)
                let context = AlertStore.NotificationContext(hooks: ["hook"], uiBaseURL: nil)
                #expect(try await store.record([Self.transition(.open, atMs: now)], slots: [], context: context, nowMs: now) == 1)
                worker.notificationsQueued()
                await receiver.waitForRequests(1)
                try await Self.waitFor(archive.connection, "SELECT count(*)::int FROM alert_outbox WHERE attempts = 1")
                let rows = try await archive.connection.query(
                    "SELECT state, last_status, extract(epoch FROM next_attempt_at - created_at)::float8 FROM alert_outbox",
                    logger: FreshDatabase.logger)
                for try await (state, status, wait) in rows.decode((String, Int32?, Double).self) {
                    #expect(state == "pending")
                    #expect(status == 429)
                    #expect(wait >= 600)
                }
                #expect(receiver.requests.count == 1)
            }
        }
    }

    @Test("a notification for a hook no longer configured is abandoned with a reason, not retried forever")
    func vanishedHook() async throws {
        try await FreshDatabase.with { configuration, archive in
            try await Self.withWorker(configuration, settings: AlertingSettings()) { worker, store in
                let now = Int64(Date().timeIntervalSince1970 * 1000)
                let context = AlertStore.NotificationContext(hooks: ["gone"], uiBaseURL: nil)
                _ = try await store.record([Self.transition(.open, atMs: now)], slots: [], context: context, nowMs: now)
                worker.notificationsQueued()
                try await Self.waitFor(archive.connection, "SELECT count(*)::int FROM alert_outbox WHERE state = 'abandoned'")
                let errors = try await archive.connection.values("SELECT last_error FROM alert_outbox", as: String.self)
                #expect(errors.first?.contains("no longer configured") == true)
            }
        }
    }

    @Test("the heartbeat reaches the dead-man's switch while the database answers")
    func heartbeat() async throws {
        let receiver = try await HookReceiver()
        defer { Task { await receiver.close() } }
        var settings = AlertingSettings()
        settings.heartbeatURL = "\(receiver.url)/ping/abc"
        settings.heartbeatIntervalMs = 100
        try await FreshDatabase.with { configuration, _ in
            try await Self.withWorker(configuration, settings: settings) { _, _ in
                let requests = await receiver.waitForRequests(2)
                #expect(requests.count >= 2)
                #expect(requests.allSatisfy { $0.method == "GET" && $0.path == "/ping/abc" })
            }
        }
    }
}
