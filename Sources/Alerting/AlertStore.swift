import AlertDelivery
import Detection
import Foundation
import Logging
import NoitCore
import PostgresNIO

/// Alerting's tables (schema 008) on a pool of connections. Every statement is a constant and
/// every value a bind parameter.
public struct AlertStore: Sendable {
    public let client: PostgresClient
    let logger: Logger
    let encoder: JSONEncoder
    let decoder = JSONDecoder()

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        self.encoder = encoder
    }

    // MARK: - Rules

    public struct StoredRule: Sendable {
        public var rule: AlertRule?
        public var attributes: [String: String]
        public var source: AlertRule.Source
        public var updatedAt: Date
        /// Set when a stored rule no longer validates (written by an older version, say).
        public var problem: String?

        public init(rule: AlertRule?, attributes: [String: String], source: AlertRule.Source, updatedAt: Date, problem: String? = nil) {
            self.rule = rule
            self.attributes = attributes
            self.source = source
            self.updatedAt = updatedAt
            self.problem = problem
        }
    }

    public func rules() async throws -> [StoredRule] {
        var rules = [StoredRule]()
        let query: PostgresQuery = "SELECT name, definition::text, source, updated_at FROM alert_rules ORDER BY name"
        for try await (_, definition, sourceText, updatedAt) in try await client.query(query, logger: logger).decode((String, String, String, Date).self) {
            let source = AlertRule.Source(rawValue: sourceText) ?? .api
            let attributes = (try? decoder.decode([String: String].self, from: Data(definition.utf8))) ?? [:]
            do {
                rules.append(StoredRule(rule: try AlertRule(attributes: attributes, source: source), attributes: attributes, source: source, updatedAt: updatedAt))
            } catch {
                rules.append(StoredRule(rule: nil, attributes: attributes, source: source, updatedAt: updatedAt, problem: error.description))
            }
        }
        return rules
    }

    /// Changes whenever any rule is written, so engines sharing the database notice.
    public func rulesVersion() async throws -> String {
        let query: PostgresQuery = "SELECT count(*)::text || '/' || coalesce(max(updated_at)::text, '') FROM alert_rules"
        for try await version in try await client.query(query, logger: logger).decode(String.self) { return version }
        return ""
    }

    /// Makes the table's config rules exactly stratcon.conf's (API rules of other names stay).
    public func replaceConfigRules(_ rules: [AlertRule]) async throws {
        let names = rules.map(\.name)
        let definitions = try rules.map { String(decoding: try encoder.encode($0.attributes), as: UTF8.self) }
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query(
                "DELETE FROM alert_rules WHERE source = 'config' AND NOT (name = ANY(\(names)))", logger: logger)
            try await connection.query(
                """
                INSERT INTO alert_rules (name, definition, source, updated_at)
                SELECT n, d::jsonb, 'config', now() FROM unnest(\(names)::text[], \(definitions)::text[]) AS t(n, d)
                ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, source = 'config', updated_at = now()
                WHERE alert_rules.definition <> excluded.definition OR alert_rules.source <> 'config'
                """, logger: logger)
        }
    }

    public enum RuleWriteResult: Sendable, Equatable { case created, replaced, exists, refusedConfigRule, notFound, deleted }

    /// Creates an API rule, or with `replacing` creates or replaces one; rules from
    /// stratcon.conf are changed there, not here. Creating a name that exists (from either
    /// source) gives `.exists`, decided by the insert itself so concurrent creators cannot both win.
    public func putRule(_ rule: AlertRule, replacing: Bool) async throws -> RuleWriteResult {
        let definition = String(decoding: try encoder.encode(rule.attributes), as: UTF8.self)
        guard replacing else {
            let rows = try await client.query(
                """
                INSERT INTO alert_rules (name, definition, source, updated_at) VALUES (\(rule.name), \(definition)::jsonb, 'api', now())
                ON CONFLICT (name) DO NOTHING RETURNING name
                """, logger: logger)
            for try await _ in rows.decode(String.self) { return .created }
            return .exists
        }
        return try await client.withTransaction(logger: logger) { connection in
            var existing: String?
            for try await source in try await connection.query(
                "SELECT source FROM alert_rules WHERE name = \(rule.name) FOR UPDATE", logger: logger
            ).decode(String.self) { existing = source }
            if existing == "config" { return .refusedConfigRule }
            try await connection.query(
                """
                INSERT INTO alert_rules (name, definition, source, updated_at) VALUES (\(rule.name), \(definition)::jsonb, 'api', now())
                ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, updated_at = now()
                """, logger: logger)
            return existing == nil ? .created : .replaced
        }
    }

    public func deleteRule(_ name: String) async throws -> RuleWriteResult {
        try await client.withTransaction(logger: logger) { connection in
            var existing: String?
            for try await source in try await connection.query(
                "SELECT source FROM alert_rules WHERE name = \(name) FOR UPDATE", logger: logger
            ).decode(String.self) { existing = source }
            guard let existing else { return .notFound }
            if existing == "config" { return .refusedConfigRule }
            try await connection.query("DELETE FROM alert_rules WHERE name = \(name)", logger: logger)
            try await connection.query("DELETE FROM alert_detector_state WHERE rule = \(name)", logger: logger)
            return .deleted
        }
    }

    // MARK: - Checks and open alerts

    public func checks(_ uuids: [UUID]? = nil) async throws -> [CheckInfo] {
        var list = [CheckInfo]()
        let rows: PostgresRowSequence
        if let uuids {
            rows = try await client.query(
                "SELECT uuid, name, target, module, noit FROM checks WHERE deleted_at IS NULL AND uuid = ANY(\(uuids))", logger: logger)
        } else {
            rows = try await client.query("SELECT uuid, name, target, module, noit FROM checks WHERE deleted_at IS NULL", logger: logger)
        }
        for try await (uuid, name, target, module, noit) in rows.decode((UUID, String, String, String, String).self) {
            list.append(CheckInfo(uuid: uuid, name: name, target: target, module: module, noit: noit))
        }
        return list
    }

    public func openAlerts() async throws -> [SeriesKey: OpenAlert] {
        var open = [SeriesKey: OpenAlert]()
        let query: PostgresQuery = "SELECT rule, uuid, metric, opened_at FROM alerts WHERE state = 'open'"
        for try await (rule, uuid, metric, opened) in try await client.query(query, logger: logger).decode((String, UUID, String, Date).self) {
            open[SeriesKey(rule: rule, check: uuid, metric: metric)] = OpenAlert(openedAtMs: Self.milliseconds(opened))
        }
        return open
    }

    // MARK: - Detector state

    public func slots(_ keys: [SeriesKey]) async throws -> [SeriesKey: SeriesSlot] {
        guard !keys.isEmpty else { return [:] }
        var found = [SeriesKey: SeriesSlot]()
        let rules = keys.map(\.rule), uuids = keys.map(\.check), metrics = keys.map(\.metric)
        let rows = try await client.query(
            """
            SELECT s.rule, s.uuid, s.metric, s.state::text FROM alert_detector_state s
            JOIN unnest(\(rules)::text[], \(uuids)::uuid[], \(metrics)::text[]) AS k(r, u, m) ON s.rule = k.r AND s.uuid = k.u AND s.metric = k.m
            """, logger: logger)
        for try await (rule, uuid, metric, state) in rows.decode((String, UUID, String, String).self) {
            // State from an older model version is dropped: the detector warms up afresh.
            guard let slot = try? decoder.decode(SeriesSlot.self, from: Data(state.utf8)), slot.version == SeriesSlot.version else { continue }
            found[SeriesKey(rule: rule, check: uuid, metric: metric)] = slot
        }
        return found
    }

    public func saveSlots(_ slots: [(key: SeriesKey, slot: SeriesSlot)]) async throws {
        guard !slots.isEmpty else { return }
        try await client.withConnection { connection in try await saveSlots(slots, on: connection) }
    }

    func saveSlots(_ given: [(key: SeriesKey, slot: SeriesSlot)], on connection: PostgresConnection) async throws {
        // ON CONFLICT may touch a row once per statement: the last state of each series wins.
        var latest = [SeriesKey: Int]()
        for (index, entry) in given.enumerated() { latest[entry.key] = index }
        let slots = latest.values.sorted().map { given[$0] }
        // Chunks keep one statement's parameters to a few megabytes.
        for chunk in stride(from: 0, to: slots.count, by: 500).map({ Array(slots[$0..<min($0 + 500, slots.count)]) }) {
            let rules = chunk.map(\.key.rule), uuids = chunk.map(\.key.check), metrics = chunk.map(\.key.metric)
            let states = try chunk.map { String(decoding: try encoder.encode($0.slot), as: UTF8.self) }
            try await connection.query(
                """
                INSERT INTO alert_detector_state (rule, uuid, metric, state, updated_at)
                SELECT r, u, m, s::jsonb, now() FROM unnest(\(rules)::text[], \(uuids)::uuid[], \(metrics)::text[], \(states)::text[]) AS t(r, u, m, s)
                ON CONFLICT (rule, uuid, metric) DO UPDATE SET state = excluded.state, updated_at = now()
                """, logger: logger)
        }
    }

    /// Stored values to warm a new detector up: 5-minute averages for an anomaly model (the
    /// last four weeks), raw values for a trend (its window).
    public func history(for key: SeriesKey, detector: SeriesDetector, beforeMs: Int64) async throws -> [SeriesPoint] {
        var points = [SeriesPoint]()
        let before = Date(timeIntervalSince1970: Double(beforeMs) / 1000)
        let rows: PostgresRowSequence
        switch detector {
        case .anomaly:
            let since = Date(timeIntervalSince1970: Double(beforeMs) / 1000 - 28 * 86_400)
            rows = try await client.query(
                """
                SELECT (extract(epoch FROM bucket) * 1000)::int8 + 150000, sum / count FROM metric_rollup_5m
                WHERE uuid = \(key.check) AND name = \(key.metric) AND bucket >= \(since) AND bucket < \(before) AND count > 0
                ORDER BY bucket
                """, logger: logger)
        case .forecast(let forecast):
            let since = Date(timeIntervalSince1970: Double(beforeMs - forecast.configuration.windowMs) / 1000)
            rows = try await client.query(
                """
                SELECT (extract(epoch FROM time) * 1000)::int8, value FROM metric_numeric_archive
                WHERE uuid = \(key.check) AND name = \(key.metric) AND time >= \(since) AND time < \(before) AND value IS NOT NULL
                ORDER BY time
                """, logger: logger)
        case .threshold, .status, .absence:
            return []
        }
        for try await (time, value) in rows.decode((Int64, Double).self) where value.isFinite {
            points.append(SeriesPoint(timeMs: time, value: value))
        }
        return points
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
    static func date(_ milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }
}
