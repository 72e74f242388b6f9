import Foundation
import Logging
import PostgresNIO

/// The graph API's reads, on a pool of connections. Every statement is a constant; what the
/// request says travels in bind parameters, and the table of a series query is chosen among
/// constant statements, never spliced in.
public struct GraphStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    struct NoitRow {
        var name: String
        var firstSeen: Date
        var lastBatch: Date?
    }

    func noits() async throws -> [NoitRow] {
        var rows = [NoitRow]()
        let query: PostgresQuery = "SELECT name, first_seen, last_batch FROM noits ORDER BY name"
        for try await (name, first, last) in try await client.query(query, logger: logger).decode((String, Date, Date?).self) {
            rows.append(NoitRow(name: name, firstSeen: first, lastBatch: last))
        }
        return rows
    }

    struct CheckRow {
        var uuid: UUID
        var noit: String
        var target: String
        var module: String
        var name: String
        var definedAt: Date
        var deletedAt: Date?
        var status: StatusRow?
    }

    struct StatusRow {
        var time: Date
        var state: String
        var availability: String
        var durationMilliseconds: Int32
        var text: String
        var intervalMilliseconds: Int32?
        /// good, bad, unavailable or stale, as ``GraphStore/condition`` defines them.
        var condition: String
    }

    struct CheckFilter {
        /// A case-insensitive substring of name, target, module or uuid; empty matches all.
        var text = ""
        var module: String?
        var target: String?
        var includeDeleted = false
        /// good, bad, unavailable or stale; nil for all.
        var condition: String?
        var limit = 10_000
    }

    func checks(_ filter: CheckFilter, now: Date) async throws -> [CheckRow] {
        let pattern = "%" + Self.escapeLike(filter.text.lowercased()) + "%"
        let query: PostgresQuery = """
            SELECT * FROM (
                SELECT c.uuid, c.noit, c.target, c.module, c.name, c.defined_at, c.deleted_at,
                       s.time, s.state, s.availability, s.duration_ms, s.status, s.interval_ms,
                       noit_check_condition(s.time, s.state, s.availability, s.interval_ms, \(now)) AS condition
                FROM checks c LEFT JOIN current_status s ON s.uuid = c.uuid
                WHERE (\(filter.includeDeleted) OR c.deleted_at IS NULL)
                  AND (\(filter.text.isEmpty) OR lower(c.name) LIKE \(pattern) OR lower(c.target) LIKE \(pattern)
                       OR lower(c.module) LIKE \(pattern) OR c.uuid::text LIKE \(pattern))
                  AND (\(filter.module == nil) OR c.module = \(filter.module ?? ""))
                  AND (\(filter.target == nil) OR c.target = \(filter.target ?? ""))
            ) listed
            WHERE \(filter.condition == nil) OR condition = \(filter.condition ?? "")
            ORDER BY name, target, uuid
            LIMIT \(Int64(filter.limit))
            """
        return try await checkRows(query)
    }

    func check(_ uuid: UUID, now: Date) async throws -> CheckRow? {
        let query: PostgresQuery = """
            SELECT c.uuid, c.noit, c.target, c.module, c.name, c.defined_at, c.deleted_at,
                   s.time, s.state, s.availability, s.duration_ms, s.status, s.interval_ms,
                   noit_check_condition(s.time, s.state, s.availability, s.interval_ms, \(now)) AS condition
            FROM checks c LEFT JOIN current_status s ON s.uuid = c.uuid
            WHERE c.uuid = \(uuid)
            """
        return try await checkRows(query).first
    }

    private func checkRows(_ query: PostgresQuery) async throws -> [CheckRow] {
        var rows = [CheckRow]()
        let sequence = try await client.query(query, logger: logger)
        // Column by column: decoding a 13-tuple goes through generic tuple metadata per row,
        // which dominated a 10,000-check list.
        for try await row in sequence {
            let cells = row.makeRandomAccess()
            var status: StatusRow?
            if let time = try cells[7].decode(Date?.self), let state = try cells[8].decode(String?.self),
               let availability = try cells[9].decode(String?.self)
            {
                status = StatusRow(
                    time: time, state: state, availability: availability,
                    durationMilliseconds: try cells[10].decode(Int32?.self) ?? 0, text: try cells[11].decode(String?.self) ?? "",
                    intervalMilliseconds: try cells[12].decode(Int32?.self), condition: try cells[13].decode(String.self))
            }
            rows.append(CheckRow(
                uuid: try cells[0].decode(UUID.self), noit: try cells[1].decode(String.self), target: try cells[2].decode(String.self),
                module: try cells[3].decode(String.self), name: try cells[4].decode(String.self),
                definedAt: try cells[5].decode(Date.self), deletedAt: try cells[6].decode(Date?.self), status: status))
        }
        return rows
    }

    struct MetricRow {
        var name: String
        var type: String
        var firstSeen: Date
        var lastSeen: Date
        var time: Date?
        var numeric: Double?
        var text: String?
    }

    func metrics(of uuid: UUID) async throws -> [MetricRow] {
        let query: PostgresQuery = """
            SELECT c.name, c.type, c.first_seen, greatest(c.last_seen, m.time), m.time, m.numeric_value, m.text_value
            FROM metric_catalogue c LEFT JOIN current_metrics m ON m.uuid = c.uuid AND m.name = c.name
            WHERE c.uuid = \(uuid)
            ORDER BY c.name
            """
        var rows = [MetricRow]()
        for try await (name, type, first, last, time, numeric, text) in try await client.query(query, logger: logger)
            .decode((String, String, Date, Date, Date?, Double?, String?).self)
        {
            rows.append(MetricRow(name: name, type: type, firstSeen: first, lastSeen: last, time: time, numeric: numeric, text: text))
        }
        return rows
    }

    /// The type letter of a metric of a check, or nil when the check never had it.
    func metricType(_ uuid: UUID, _ name: String) async throws -> String? {
        let query: PostgresQuery = "SELECT type FROM metric_catalogue WHERE uuid = \(uuid) AND name = \(name)"
        for try await type in try await client.query(query, logger: logger).decode(String.self) { return type }
        return nil
    }

    typealias Point = (time: Int64, average: Double?, minimum: Double?, maximum: Double?)

    /// Points of one series, aggregated into buckets of `step` seconds aligned to the epoch.
    func series(
        _ uuid: UUID, _ name: String, resolution: SeriesResolution, transform: SeriesTransform,
        start: Date, end: Date, stepSeconds: Int64
    ) async throws -> [Point] {
        let query = SeriesQueries.query(
            resolution: resolution, transform: transform, uuid: uuid, name: name, start: start, end: end, step: stepSeconds)
        var points = [Point]()
        for try await (time, average, minimum, maximum) in try await client.query(query, logger: logger)
            .decode((Int64, Double?, Double?, Double?).self)
        {
            points.append((time * 1000, average, minimum, maximum))
        }
        return points
    }

    struct EventRow {
        var time: Date
        var kind: String
        var metric: String?
        var from: String?
        var to: String?
    }

    /// Status changes (state or availability) and text metric changes in the range, oldest
    /// first, at most `limit`.
    func events(_ uuid: UUID, start: Date, end: Date, limit: Int) async throws -> [EventRow] {
        let query: PostgresQuery = """
            SELECT time, kind, metric, previous, current FROM (
                SELECT time, 'status' AS kind, NULL::text AS metric,
                       CASE WHEN previous_state IS NULL THEN NULL ELSE previous_state || previous_availability END AS previous,
                       state || availability AS current
                FROM (
                    SELECT time, state, availability,
                           lag(state) OVER w AS previous_state, lag(availability) OVER w AS previous_availability
                    FROM (
                        SELECT time, state, availability FROM status_archive
                        WHERE uuid = \(uuid) AND time >= \(start) AND time < \(end)
                        UNION ALL
                        (SELECT time, state, availability FROM status_archive
                         WHERE uuid = \(uuid) AND time < \(start) ORDER BY time DESC LIMIT 1)
                    ) statuses
                    WINDOW w AS (ORDER BY time)
                ) changes
                WHERE time >= \(start)
                  AND (previous_state IS NULL OR previous_state <> state OR previous_availability <> availability)
                UNION ALL
                SELECT t.time, 'text', t.name,
                       (SELECT p.value FROM metric_text_changes p
                        WHERE p.uuid = t.uuid AND p.name = t.name AND p.time < t.time ORDER BY p.time DESC LIMIT 1),
                       t.value
                FROM metric_text_changes t
                WHERE t.uuid = \(uuid) AND t.time >= \(start) AND t.time < \(end)
            ) events
            ORDER BY time, kind, metric
            LIMIT \(Int64(limit))
            """
        var rows = [EventRow]()
        for try await (time, kind, metric, previous, current) in try await client.query(query, logger: logger)
            .decode((Date, String, String?, String?, String?).self)
        {
            if kind == "status" {
                rows.append(EventRow(time: time, kind: kind, metric: nil, from: previous.map(Self.statusWords), to: current.map(Self.statusWords)))
            } else {
                rows.append(EventRow(time: time, kind: kind, metric: metric, from: previous, to: current))
            }
        }
        return rows
    }

    /// `GA` → `good/available`.
    static func statusWords(_ letters: String) -> String {
        let characters = Array(letters)
        guard characters.count == 2 else { return letters }
        return "\(StatusWords.state(String(characters[0])))/\(StatusWords.availability(String(characters[1])))"
    }

    /// LIKE's own wildcards in the operator's text are literal.
    static func escapeLike(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}

enum StatusWords {
    static func state(_ letter: String) -> String { letter == "G" ? "good" : letter == "B" ? "bad" : letter }
    static func availability(_ letter: String) -> String { letter == "A" ? "available" : letter == "U" ? "unavailable" : letter }
}
