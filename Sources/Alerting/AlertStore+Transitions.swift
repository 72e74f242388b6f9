import AlertDelivery
import Foundation
import NoitCore
import PostgresNIO

extension AlertStore {
    /// How notifications are addressed: the hooks that exist, and what they say about the
    /// alert's origin.
    public struct NotificationContext: Sendable {
        public var hooks: [String]
        /// The web UI's base URL for links to a check, when known.
        public var uiBaseURL: String?
        public init(hooks: [String], uiBaseURL: String?) {
            self.hooks = hooks
            self.uiBaseURL = uiBaseURL
        }
    }

    /// Makes transitions durable in one transaction, each with its history and its outbox rows
    /// (one per hook), plus the detector state of the series concerned, so a restart neither
    /// pages again nor forgets. Returns how many notifications were queued.
    @discardableResult
    public func record(_ transitions: [AlertTransition], slots: [(key: SeriesKey, slot: SeriesSlot)], context: NotificationContext, nowMs: Int64) async throws -> Int {
        guard !transitions.isEmpty || !slots.isEmpty else { return 0 }
        return try await client.withTransaction(logger: logger) { connection in
            var queued = 0
            var silences: [AlertSilence]?
            for transition in transitions {
                let key = transition.key
                switch transition.action {
                case .open:
                    if silences == nil { silences = try await activeSilences(on: connection, atMs: nowMs) }
                    let silence = silences?.first { $0.matches(rule: transition.rule, check: transition.check) }
                    let details = String(decoding: try encoder.encode(transition.details), as: UTF8.self)
                    var alertID: Int64?
                    for try await id in try await connection.query(
                        """
                        INSERT INTO alerts (key, rule, uuid, metric, severity, state, opened_at, value, summary, details, silenced)
                        VALUES (\(key.alertKey), \(key.rule), \(key.check), \(key.metric), \(transition.severity.rawValue), 'open',
                                \(Self.date(transition.atMs)), \(transition.value), \(transition.summary), \(details)::jsonb, \(silence != nil))
                        ON CONFLICT (key) WHERE state = 'open' DO NOTHING RETURNING id
                        """, logger: logger
                    ).decode(Int64.self) { alertID = id }
                    // Another stratcond sharing the database opened it first: it pages.
                    guard let alertID else { continue }
                    try await history(alertID, "opened", transition.summary, on: connection)
                    if let silence {
                        try await history(alertID, "silenced", "silence \(silence.id)\(silence.comment.isEmpty ? "" : ": \(silence.comment)")", on: connection)
                        continue
                    }
                    queued += try await enqueue(transition, alertID: alertID, openedAtMs: transition.atMs, context: context, on: connection)
                case .resolve:
                    var resolved: (id: Int64, silenced: Bool, openedAt: Date)?
                    for try await row in try await connection.query(
                        """
                        UPDATE alerts SET state = 'resolved', resolved_at = \(Self.date(transition.atMs))
                        WHERE key = \(key.alertKey) AND state = 'open' RETURNING id, silenced, opened_at
                        """, logger: logger
                    ).decode((Int64, Bool, Date).self) { resolved = (row.0, row.1, row.2) }
                    guard let resolved else { continue }
                    try await history(resolved.id, "resolved", transition.summary, on: connection)
                    // Opened in silence: nobody was paged, so nobody needs the resolve.
                    if resolved.silenced { continue }
                    queued += try await enqueue(
                        transition, alertID: resolved.id, openedAtMs: Self.milliseconds(resolved.openedAt), context: context, on: connection)
                }
            }
            try await saveSlots(slots, on: connection)
            return queued
        }
    }

    private func enqueue(_ transition: AlertTransition, alertID: Int64, openedAtMs: Int64, context: NotificationContext, on connection: PostgresConnection) async throws -> Int {
        let hooks = (transition.hooks ?? context.hooks).filter { context.hooks.contains($0) }
        guard !hooks.isEmpty else { return 0 }
        let notification = AlertNotification(
            dedupKey: transition.key.alertKey, action: transition.action == .open ? .trigger : .resolve, rule: transition.rule,
            severity: transition.severity, summary: transition.summary, checkUUID: transition.check.uuid.lowercasedString,
            checkName: transition.check.name, target: transition.check.target, module: transition.check.module,
            metric: transition.key.metric.isEmpty ? nil : transition.key.metric, value: transition.value, openedAtMs: openedAtMs,
            resolvedAtMs: transition.action == .resolve ? transition.atMs : nil,
            source: transition.check.noit.isEmpty ? "stratcond" : transition.check.noit,
            link: context.uiBaseURL.map { "\($0)/check.html?uuid=\(transition.check.uuid.lowercasedString)" },
            details: transition.details)
        let body = String(decoding: try encoder.encode(notification), as: UTF8.self)
        let action = notification.action.rawValue
        try await connection.query(
            """
            INSERT INTO alert_outbox (alert_id, key, hook, action, notification)
            SELECT \(alertID), \(transition.key.alertKey), h, \(action), \(body)::jsonb FROM unnest(\(hooks)::text[]) AS h
            """, logger: logger)
        return hooks.count
    }

    func history(_ alertID: Int64, _ event: String, _ detail: String, on connection: PostgresConnection) async throws {
        try await connection.query(
            "INSERT INTO alert_history (alert_id, event, detail) VALUES (\(alertID), \(event), \(detail))", logger: logger)
    }

    func activeSilences(on connection: PostgresConnection, atMs: Int64) async throws -> [AlertSilence] {
        var list = [AlertSilence]()
        let now = Self.date(atMs)
        let rows = try await connection.query(
            """
            SELECT id, rule, uuid, target, starts_at, ends_at, comment, created_by FROM alert_silences
            WHERE starts_at <= \(now) AND ends_at > \(now) ORDER BY id
            """, logger: logger)
        for try await (id, rule, uuid, target, starts, ends, comment, by) in rows.decode((Int64, String?, UUID?, String?, Date, Date, String, String).self) {
            list.append(AlertSilence(
                id: id, rule: rule, check: uuid, target: target.map(GlobPattern.init), startsAtMs: Self.milliseconds(starts),
                endsAtMs: Self.milliseconds(ends), comment: comment, createdBy: by))
        }
        return list
    }
}
