import AlertDelivery
import Foundation
import PostgresNIO

extension AlertStore {
    /// The head of every (key, hook) queue: its oldest pending notification. Only a head is
    /// ever attempted, which is what keeps a resolve behind its trigger.
    func outboxHeads(on connection: PostgresConnection, limit: Int) async throws -> [OutboxEntry] {
        let rows = try await connection.query(
            """
            SELECT id, alert_id, key, hook, action, notification::text, state, attempts, created_at, next_attempt_at,
                   delivered_at, last_status, last_error
            FROM (SELECT DISTINCT ON (key, hook) * FROM alert_outbox WHERE state = 'pending' ORDER BY key, hook, id) heads
            ORDER BY next_attempt_at, id LIMIT \(Int32(limit))
            """, logger: logger)
        return try await entries(rows)
    }

    func entries(_ rows: PostgresRowSequence) async throws -> [OutboxEntry] {
        var list = [OutboxEntry]()
        for try await row in rows {
            let (id, alertID, key, hook, action, body, state, attempts, created, next, delivered, status, error) =
                try row.decode((Int64, Int64, String, String, String, String, String, Int32, Date, Date, Date?, Int32?, String?).self)
            list.append(OutboxEntry(
                id: id, alertID: alertID, key: key, hook: hook, action: AlertAction(rawValue: action) ?? .trigger,
                notification: try? decoder.decode(AlertNotification.self, from: Data(body.utf8)), state: state,
                attempts: Int(attempts), createdAtMs: Self.milliseconds(created), nextAttemptAtMs: Self.milliseconds(next),
                deliveredAtMs: delivered.map(Self.milliseconds), lastStatus: status.map(Int.init), lastError: error))
        }
        return list
    }

    enum OutboxUpdate: Sendable {
        case delivered(status: Int?)
        case retry(atMs: Int64, status: Int?, error: String)
        case rejected(status: Int, error: String)
        case abandoned(error: String)
    }

    func update(_ entry: OutboxEntry, _ update: OutboxUpdate, nowMs: Int64, on connection: PostgresConnection) async throws {
        let attempts = Int32(entry.attempts + 1)
        switch update {
        case .delivered(let status):
            try await connection.query(
                """
                UPDATE alert_outbox SET state = 'delivered', attempts = \(attempts), delivered_at = \(Self.date(nowMs)),
                       last_status = \(status.map(Int32.init)), last_error = NULL WHERE id = \(entry.id)
                """, logger: logger)
            try await history(entry.alertID, "notified", "\(entry.hook): \(entry.action.rawValue) delivered after \(attempts) attempt(s)", on: connection)
        case .retry(let at, let status, let error):
            try await connection.query(
                """
                UPDATE alert_outbox SET attempts = \(attempts), next_attempt_at = \(Self.date(at)),
                       last_status = \(status.map(Int32.init)), last_error = \(error) WHERE id = \(entry.id)
                """, logger: logger)
        case .rejected(let status, let error):
            try await connection.query(
                """
                UPDATE alert_outbox SET state = 'rejected', attempts = \(attempts), last_status = \(Int32(status)), last_error = \(error)
                WHERE id = \(entry.id)
                """, logger: logger)
            try await history(entry.alertID, "rejected", "\(entry.hook): \(entry.action.rawValue) refused with \(status): \(error)", on: connection)
        case .abandoned(let error):
            try await connection.query(
                "UPDATE alert_outbox SET state = 'abandoned', attempts = \(attempts), last_error = \(error) WHERE id = \(entry.id)",
                logger: logger)
            try await history(entry.alertID, "rejected", "\(entry.hook): \(error)", on: connection)
        }
    }
}
