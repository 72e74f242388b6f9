import Foundation
import PostgresNIO

extension AlertStore {
    public enum AlertStateFilter: String, Sendable, CaseIterable { case open, resolved, all }

    public func alerts(state: AlertStateFilter, check: UUID?, limit: Int) async throws -> [AlertRecord] {
        let stateText: String? = state == .all ? nil : state.rawValue
        let rows = try await client.query(
            """
            SELECT a.id, a.key, a.rule, a.uuid, c.name, c.target, a.metric, a.severity, a.state, a.opened_at, a.resolved_at,
                   a.acknowledged_at, a.acknowledged_by, a.value, a.summary, a.details::text, a.silenced
            FROM alerts a LEFT JOIN checks c ON c.uuid = a.uuid
            WHERE (\(stateText)::text IS NULL OR a.state = \(stateText)) AND (\(check)::uuid IS NULL OR a.uuid = \(check))
            ORDER BY a.state = 'open' DESC, a.opened_at DESC, a.id DESC LIMIT \(Int32(limit))
            """, logger: logger)
        return try await alertRecords(rows)
    }

    public func alert(id: Int64) async throws -> AlertRecord? {
        let rows = try await client.query(
            """
            SELECT a.id, a.key, a.rule, a.uuid, c.name, c.target, a.metric, a.severity, a.state, a.opened_at, a.resolved_at,
                   a.acknowledged_at, a.acknowledged_by, a.value, a.summary, a.details::text, a.silenced
            FROM alerts a LEFT JOIN checks c ON c.uuid = a.uuid WHERE a.id = \(id)
            """, logger: logger)
        return try await alertRecords(rows).first
    }

    private func alertRecords(_ rows: PostgresRowSequence) async throws -> [AlertRecord] {
        var list = [AlertRecord]()
        for try await row in rows {
            let columns = try row.decode(
                (Int64, String, String, UUID, String?, String?, String, String, String, Date, Date?, Date?, String?, Double?, String, String, Bool).self)
            list.append(AlertRecord(
                id: columns.0, key: columns.1, rule: columns.2, check: columns.3, checkName: columns.4, target: columns.5,
                metric: columns.6, severity: columns.7, state: columns.8, openedAtMs: Self.milliseconds(columns.9),
                resolvedAtMs: columns.10.map(Self.milliseconds), acknowledgedAtMs: columns.11.map(Self.milliseconds),
                acknowledgedBy: columns.12, value: columns.13, summary: columns.14,
                details: (try? decoder.decode([String: String].self, from: Data(columns.15.utf8))) ?? [:], silenced: columns.16))
        }
        return list
    }

    public func history(alert id: Int64) async throws -> [AlertHistoryEntry] {
        var list = [AlertHistoryEntry]()
        let rows = try await client.query("SELECT at, event, detail FROM alert_history WHERE alert_id = \(id) ORDER BY id", logger: logger)
        for try await (at, event, detail) in rows.decode((Date, String, String).self) {
            list.append(AlertHistoryEntry(atMs: Self.milliseconds(at), event: event, detail: detail))
        }
        return list
    }

    /// Records an acknowledgement once; false when the alert does not exist or was already acknowledged.
    public func acknowledge(alert id: Int64, by: String, note: String) async throws -> Bool {
        try await client.withTransaction(logger: logger) { connection in
            var done = false
            for try await _ in try await connection.query(
                """
                UPDATE alerts SET acknowledged_at = now(), acknowledged_by = \(by) WHERE id = \(id) AND acknowledged_at IS NULL RETURNING id
                """, logger: logger
            ).decode(Int64.self) { done = true }
            if done { try await history(id, "acknowledged", note.isEmpty ? "by \(by)" : "by \(by): \(note)", on: connection) }
            return done
        }
    }

    public func outbox(state: String?, alert: Int64?, limit: Int) async throws -> [OutboxEntry] {
        let rows = try await client.query(
            """
            SELECT id, alert_id, key, hook, action, notification::text, state, attempts, created_at, next_attempt_at,
                   delivered_at, last_status, last_error
            FROM alert_outbox WHERE (\(state)::text IS NULL OR state = \(state)) AND (\(alert)::int8 IS NULL OR alert_id = \(alert))
            ORDER BY id DESC LIMIT \(Int32(limit))
            """, logger: logger)
        return try await entries(rows)
    }

    // MARK: - Silences

    public func silences(includeExpired: Bool, nowMs: Int64) async throws -> [AlertSilence] {
        var list = [AlertSilence]()
        let rows = try await client.query(
            """
            SELECT id, rule, uuid, target, starts_at, ends_at, comment, created_by FROM alert_silences
            WHERE \(includeExpired) OR ends_at > \(Self.date(nowMs)) ORDER BY starts_at DESC, id DESC LIMIT 1000
            """, logger: logger)
        for try await (id, rule, uuid, target, starts, ends, comment, by) in rows.decode((Int64, String?, UUID?, String?, Date, Date, String, String).self) {
            list.append(AlertSilence(
                id: id, rule: rule, check: uuid, target: target.map(GlobPattern.init), startsAtMs: Self.milliseconds(starts),
                endsAtMs: Self.milliseconds(ends), comment: comment, createdBy: by))
        }
        return list
    }

    public func addSilence(_ silence: AlertSilence) async throws -> Int64 {
        let rows = try await client.query(
            """
            INSERT INTO alert_silences (rule, uuid, target, starts_at, ends_at, comment, created_by)
            VALUES (\(silence.rule), \(silence.check), \(silence.target?.text), \(Self.date(silence.startsAtMs)), \(Self.date(silence.endsAtMs)),
                    \(silence.comment), \(silence.createdBy)) RETURNING id
            """, logger: logger)
        for try await id in rows.decode(Int64.self) { return id }
        throw MissingRow()
    }

    /// Ends a silence now (kept for the record); false when there is none active with that id.
    /// One that has not started yet is cancelled: it becomes a millisecond ending now, so it is
    /// neither listed as current nor ever matches (its end must stay after its start).
    public func endSilence(id: Int64, nowMs: Int64) async throws -> Bool {
        let now = Self.date(nowMs)
        let rows = try await client.query(
            """
            UPDATE alert_silences SET starts_at = least(starts_at, \(now) - interval '1 millisecond'), ends_at = \(now)
            WHERE id = \(id) AND ends_at > \(now) RETURNING id
            """,
            logger: logger)
        for try await _ in rows.decode(Int64.self) { return true }
        return false
    }
}

/// INSERT … RETURNING gave no row: only a server misbehaving gets here.
struct MissingRow: Error, CustomStringConvertible {
    var description: String { "the database returned no row for an insert" }
}
