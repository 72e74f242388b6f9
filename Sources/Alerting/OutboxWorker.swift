import AlertDelivery
import AsyncHTTPClient
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Delivers the outbox: every head notification that is due goes to its hook; delivered ones
/// are marked, failures wait with exponential backoff (or the hook's Retry-After), and a hook
/// that refuses one (4xx other than 408/429) is not asked again and said so loudly.
///
/// One stratcond at a time delivers (a transaction-scoped advisory lock), so two sharing a
/// database do not both page; delivery is at least once (a crash between the hook's answer
/// and the commit sends that notification again, with the same dedup key).
public final class OutboxWorker: Service, Sendable {
    public static let advisoryLock: Int64 = 7_007_001
    let store: AlertStore
    let sender: HookSender
    let settings: AlertingSettings
    let logger: Logger
    let now: @Sendable () -> Int64
    let wake = WakeSignal()
    private let random = Mutex(SystemRandomNumberGenerator())
    private let lastHeartbeatMs = Mutex<Int64?>(nil)
    private let lastResendMs = Mutex<Int64?>(nil)

    public init(store: AlertStore, sender: HookSender, settings: AlertingSettings, logger: Logger,
                now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }) {
        self.store = store
        self.sender = sender
        self.settings = settings
        self.logger = logger
        self.now = now
    }

    /// New notifications are queued: deliver now rather than at the next poll.
    public func notificationsQueued() { wake.signal() }

    public func run() async throws {
        lastResendMs.withLock { $0 = now() }
        await cancelWhenGracefulShutdown {
            var failures = 0
            while !Task.isCancelled {
                var nextMs: Int64?
                do {
                    nextMs = try await self.pass()
                    if failures > 0 { self.logger.notice("alert outbox: PostgreSQL is back") }
                    failures = 0
                    await self.heartbeatIfDue()
                } catch {
                    failures += 1
                    if failures == 1 || failures % 60 == 0 {
                        self.logger.error("alert outbox: cannot reach PostgreSQL; retrying", metadata: ["error": "\(String(reflecting: error))"])
                    }
                }
                let wait = max(10, min(1_000, (nextMs ?? Int64.max) - self.now()))
                await self.wake.wait(timeout: .milliseconds(wait))
            }
        }
    }

    /// One delivery pass; returns when the next waiting notification falls due, if any.
    func pass() async throws -> Int64? {
        try await store.client.withTransaction(logger: logger) { connection in
            var locked = false
            for try await got in try await connection.query("SELECT pg_try_advisory_xact_lock(\(Self.advisoryLock))", logger: logger).decode(Bool.self) {
                locked = got
            }
            guard locked else { return nil }
            let heads = try await store.outboxHeads(on: connection, limit: 500)
            let start = now()
            let due = heads.filter { $0.nextAttemptAtMs <= start }
            let outcomes = await deliver(due)
            for (entry, update) in outcomes {
                try await store.update(entry, update, nowMs: now(), on: connection)
            }
            try await resendToAlertmanagerIfDue(on: connection)
            return heads.filter { $0.nextAttemptAtMs > start }.map(\.nextAttemptAtMs).min()
        }
    }

    private func deliver(_ entries: [OutboxEntry]) async -> [(OutboxEntry, AlertStore.OutboxUpdate)] {
        let hooks = Dictionary(settings.hooks.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
        return await withTaskGroup(of: (OutboxEntry, AlertStore.OutboxUpdate).self) { group in
            var results = [(OutboxEntry, AlertStore.OutboxUpdate)]()
            var running = 0
            for entry in entries {
                if running == 16, let result = await group.next() {
                    results.append(result)
                    running -= 1
                }
                running += 1
                group.addTask { (entry, await self.attempt(entry, hook: hooks[entry.hook])) }
            }
            for await result in group { results.append(result) }
            return results
        }
    }

    private func attempt(_ entry: OutboxEntry, hook: HookDefinition?) async -> AlertStore.OutboxUpdate {
        guard let hook else {
            logger.error("alert outbox: hook no longer configured; notification dropped", metadata: ["hook": "\(entry.hook)", "key": "\(entry.key)"])
            return .abandoned(error: "hook '\(entry.hook)' is no longer configured")
        }
        guard let notification = entry.notification else { return .abandoned(error: "unreadable notification") }
        let outcome = await sender.deliver(notification, to: hook, nowMs: now())
        let metadata: Logger.Metadata = ["hook": "\(hook.name)", "key": "\(entry.key)", "action": "\(entry.action.rawValue)", "attempt": "\(entry.attempts + 1)"]
        switch outcome {
        case .delivered(let status):
            logger.info("alert delivered", metadata: metadata)
            return .delivered(status: status)
        case .retryable(let status, let retryAfter, let message):
            let delay = random.withLock { generator in
                settings.retry.delayMs(afterAttempt: entry.attempts + 1, retryAfterMs: retryAfter, using: &generator)
            }
            logger.warning("alert delivery failed; will retry", metadata: metadata.merging([
                "status": "\(status.map(String.init) ?? "-")", "error": "\(message)", "retry_in_ms": "\(delay)"]) { $1 })
            return .retry(atMs: now() + delay, status: status, error: message)
        case .rejected(let status, let message):
            logger.critical("alert REFUSED by hook; not retrying (fix the hook or the rule)", metadata: metadata.merging([
                "status": "\(status)", "error": "\(message)"]) { $1 })
            return .rejected(status: status, error: message)
        }
    }

    /// Whether something done every `interval` is due now (then it counts as done); the first
    /// time it always is.
    private static func claim(_ last: borrowing Mutex<Int64?>, every interval: Int64, now: Int64) -> Bool {
        last.withLock { last in
            if let previous = last, now - previous < interval { return false }
            last = now
            return true
        }
    }

    private func heartbeatIfDue() async {
        guard let url = settings.heartbeatURL else { return }
        guard Self.claim(lastHeartbeatMs, every: settings.heartbeatIntervalMs, now: now()) else { return }
        if case .delivered = await sender.heartbeat(url: url, timeoutMs: 10_000) { return }
        logger.warning("heartbeat not accepted by the dead-man's switch")
    }

    /// Alertmanager drops an alert whose endsAt passes, so open alerts are sent again
    /// (outside the outbox: a lost repeat is harmless, the next one follows).
    private func resendToAlertmanagerIfDue(on connection: PostgresConnection) async throws {
        let names = settings.hooks.filter { if case .alertmanager = $0.kind { return true } else { return false } }.map(\.name)
        guard !names.isEmpty else { return }
        let current = now()
        guard Self.claim(lastResendMs, every: settings.alertmanagerResendMs, now: current) else { return }
        let rows = try await connection.query(
            """
            SELECT DISTINCT ON (o.key, o.hook) o.hook, o.notification::text FROM alert_outbox o JOIN alerts a ON a.id = o.alert_id
            WHERE a.state = 'open' AND o.action = 'trigger' AND o.state = 'delivered' AND o.hook = ANY(\(names))
            ORDER BY o.key, o.hook, o.id DESC
            """, logger: logger)
        var repeats = [(String, AlertNotification)]()
        for try await (hook, body) in rows.decode((String, String).self) {
            if let notification = try? store.decoder.decode(AlertNotification.self, from: Data(body.utf8)) { repeats.append((hook, notification)) }
        }
        let hooks = Dictionary(settings.hooks.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
        for (name, notification) in repeats {
            if let hook = hooks[name] { _ = await sender.deliver(notification, to: hook, nowMs: current) }
        }
    }
}
