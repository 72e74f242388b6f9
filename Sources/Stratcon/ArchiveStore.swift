import Foundation
import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// Writes feed batches into the archives on one PostgreSQL connection. Each batch is one
/// transaction: COPY into a staging table, then merges that ignore rows already stored, so
/// a batch replayed after a crash or a lost ack is harmless. When `ingest` returns the
/// batch is committed, and only then may the feed acknowledge it.
///
/// Every statement is a constant; the only values from the feed travel in the COPY data
/// and in bind parameters.
public final class ArchiveStore: Sendable {
    public let connection: PostgresConnection
    private let logger: Logger

    public init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Opens a connection, sets the session up (UTC, staging table) and migrates the schema.
    public static func connect(
        configuration: PostgresConnection.Configuration, migrator: SchemaMigrator,
        eventLoop: any EventLoop, id: Int, logger: Logger
    ) async throws -> ArchiveStore {
        let connection = try await PostgresConnection.connect(on: eventLoop, configuration: configuration, id: id, logger: logger)
        do {
            _ = try await connection.simpleQuery("SET TIME ZONE 'UTC'").get()
            try await migrator.migrate(connection, logger: logger)
            _ = try await connection.simpleQuery(Self.createStaging).get()
        } catch {
            try? await connection.close()
            throw error
        }
        return ArchiveStore(connection: connection, logger: logger)
    }

    public func close() async {
        try? await connection.close()
    }

    static let createStaging = """
        CREATE TEMP TABLE IF NOT EXISTS staging_records (
            kind char(1) NOT NULL, time_ms bigint NOT NULL, uuid uuid NOT NULL,
            f1 text, f2 text, f3 text, f4 text
        ) ON COMMIT DELETE ROWS
        """

    /// Series (check, metric, type) this connection has seen in the catalogue. Most batches
    /// bring none new, and then skip the catalogue statement; the RollupWorker moves first
    /// and last seen.
    private let knownSeries = Mutex(Set<StagedRecords.Series>())

    static let catalogue: PostgresQuery = """
            INSERT INTO metric_catalogue AS c (uuid, name, type, first_seen, last_seen)
            SELECT uuid, f1, max(f2), min(to_timestamp(time_ms / 1000.0)), max(to_timestamp(time_ms / 1000.0))
            FROM staging_records WHERE kind = 'M' GROUP BY uuid, f1
            ON CONFLICT (uuid, name) DO UPDATE SET
                type = excluded.type,
                first_seen = least(c.first_seen, excluded.first_seen), last_seen = greatest(c.last_seen, excluded.last_seen)
            """

    /// Stores a batch from `noit`; returns once it is committed.
    public func ingest(noit: String, records: StagedRecords) async throws {
        guard records.count > 0 else { return }
        _ = try await connection.simpleQuery("BEGIN").get()
        do {
            try await connection.copyFrom(
                table: "staging_records", columns: ["kind", "time_ms", "uuid", "f1", "f2", "f3", "f4"], logger: logger
            ) { writer in
                try await writer.write(records.copyText)
            }
            try await connection.query("INSERT INTO noits (name, last_batch) VALUES (\(noit), now()) ON CONFLICT (name) DO UPDATE SET last_batch = now()", logger: logger)
            for statement in Self.merges(noit: noit) {
                try await connection.query(statement, logger: logger)
            }
            let newSeries = knownSeries.withLock { !records.series.isSubset(of: $0) }
            if newSeries { try await connection.query(Self.catalogue, logger: logger) }
            _ = try await connection.simpleQuery("COMMIT").get()
            if newSeries { knownSeries.withLock { $0.formUnion(records.series) } }
        } catch {
            _ = try? await connection.simpleQuery("ROLLBACK").get()
            throw error
        }
    }

    /// The merge statements, in order. Times are stored as `to_timestamp(ms / 1000.0)`.
    static func merges(noit: String) -> [PostgresQuery] {
        [
            // Only the days that have data: a batch spanning a long outage makes no empty days.
            """
            SELECT noit_ensure_day_partitions(day, day)
            FROM (SELECT DISTINCT to_timestamp(time_ms / 1000.0)::date AS day FROM staging_records WHERE kind IN ('S', 'M')) days
            """,
            """
            INSERT INTO check_history (uuid, time, action, noit, target, module, name)
            SELECT uuid, to_timestamp(time_ms / 1000.0), kind, \(noit),
                   CASE WHEN kind = 'C' THEN f1 END, CASE WHEN kind = 'C' THEN f2 END,
                   CASE WHEN kind = 'C' THEN f3 ELSE f1 END
            FROM staging_records WHERE kind IN ('C', 'D')
            ON CONFLICT DO NOTHING
            """,
            """
            INSERT INTO checks AS c (uuid, noit, target, module, name, defined_at, deleted_at)
            SELECT DISTINCT ON (uuid) uuid, \(noit), f1, f2, f3, to_timestamp(time_ms / 1000.0), NULL::timestamptz
            FROM staging_records WHERE kind = 'C' ORDER BY uuid, time_ms DESC
            ON CONFLICT (uuid) DO UPDATE SET
                noit = excluded.noit, target = excluded.target, module = excluded.module, name = excluded.name,
                defined_at = excluded.defined_at,
                deleted_at = CASE WHEN c.deleted_at > excluded.defined_at THEN c.deleted_at END
            WHERE c.defined_at <= excluded.defined_at
            """,
            """
            UPDATE checks c SET deleted_at = d.time
            FROM (SELECT uuid, max(to_timestamp(time_ms / 1000.0)) AS time FROM staging_records WHERE kind = 'D' GROUP BY uuid) d
            WHERE c.uuid = d.uuid AND c.defined_at <= d.time AND (c.deleted_at IS NULL OR c.deleted_at < d.time)
            """,
            """
            INSERT INTO status_archive (uuid, time, state, availability, duration_ms, status)
            SELECT uuid, to_timestamp(time_ms / 1000.0), f1, f2, f3::integer, f4
            FROM staging_records WHERE kind = 'S'
            ON CONFLICT DO NOTHING
            """,
            """
            INSERT INTO current_status AS s (uuid, time, state, availability, duration_ms, status, interval_ms)
            SELECT DISTINCT ON (uuid) uuid, to_timestamp(time_ms / 1000.0), f1, f2, f3::integer, f4,
                   (time_ms - lag(time_ms) OVER (PARTITION BY uuid ORDER BY time_ms))::integer
            FROM staging_records WHERE kind = 'S' ORDER BY uuid, time_ms DESC
            ON CONFLICT (uuid) DO UPDATE SET
                time = excluded.time, state = excluded.state, availability = excluded.availability,
                duration_ms = excluded.duration_ms, status = excluded.status,
                interval_ms = CASE WHEN excluded.time > s.time
                                   THEN coalesce(excluded.interval_ms, (extract(epoch FROM excluded.time - s.time) * 1000)::integer)
                                   ELSE s.interval_ms END
            WHERE s.time <= excluded.time
            """,
            """
            INSERT INTO metric_numeric_archive (uuid, time, name, value)
            SELECT uuid, to_timestamp(time_ms / 1000.0), f1, f3::double precision
            FROM staging_records WHERE kind = 'M' AND f2 <> 's'
            ON CONFLICT DO NOTHING
            """,
            """
            INSERT INTO metric_text_changes (uuid, time, name, value)
            SELECT uuid, time, name, value FROM (
                SELECT m.uuid, to_timestamp(m.time_ms / 1000.0) AS time, m.f1 AS name, m.f3 AS value,
                       lag(m.f3) OVER (PARTITION BY m.uuid, m.f1 ORDER BY m.time_ms) AS previous_in_batch,
                       row_number() OVER (PARTITION BY m.uuid, m.f1 ORDER BY m.time_ms) AS position,
                       (SELECT t.value FROM metric_text_changes t
                        WHERE t.uuid = m.uuid AND t.name = m.f1 AND t.time < to_timestamp(m.time_ms / 1000.0)
                        ORDER BY t.time DESC LIMIT 1) AS previous_stored,
                       EXISTS (SELECT 1 FROM metric_text_changes t
                               WHERE t.uuid = m.uuid AND t.name = m.f1 AND t.time < to_timestamp(m.time_ms / 1000.0)) AS has_previous
                FROM staging_records m WHERE m.kind = 'M' AND m.f2 = 's'
            ) changes
            WHERE CASE WHEN position = 1 THEN NOT has_previous OR value IS DISTINCT FROM previous_stored
                       ELSE value IS DISTINCT FROM previous_in_batch END
            ON CONFLICT DO NOTHING
            """,
            """
            INSERT INTO current_metrics AS m (uuid, name, type, time, numeric_value, text_value)
            SELECT DISTINCT ON (uuid, f1) uuid, f1, f2, to_timestamp(time_ms / 1000.0),
                   CASE WHEN f2 <> 's' THEN f3::double precision END, CASE WHEN f2 = 's' THEN f3 END
            FROM staging_records WHERE kind = 'M' ORDER BY uuid, f1, time_ms DESC
            ON CONFLICT (uuid, name) DO UPDATE SET
                type = excluded.type, time = excluded.time, numeric_value = excluded.numeric_value, text_value = excluded.text_value
            WHERE m.time <= excluded.time
            """,

            // The rollups are recomputed by the RollupWorker from these entries, outside the batch.
            """
            INSERT INTO rollup_pending (first_time, uuids, names, firsts, lasts)
            SELECT min(first), array_agg(uuid), array_agg(name), array_agg(first), array_agg(last)
            FROM (
                SELECT uuid, f1 AS name, min(to_timestamp(time_ms / 1000.0)) AS first, max(to_timestamp(time_ms / 1000.0)) AS last
                FROM staging_records WHERE kind = 'M' AND f2 <> 's' GROUP BY uuid, f1
            ) touched
            HAVING count(*) > 0
            """,
        ]
    }

    /// Applies up to `maxBatches` batches' pending rollup entries (oldest first); returns how many it
    /// took. 0 means the rollups are up to date with everything committed so far.
    @discardableResult
    public func applyPendingRollups(maxBatches: Int = 10) async throws -> Int {
        let rows = try await connection.query("SELECT noit_apply_pending_rollups(\(Int32(clamping: maxBatches)))", logger: logger).collect()
        return try rows.first?.decode(Int.self) ?? 0
    }

    /// Applies pending rollups until none are left.
    public func applyAllPendingRollups() async throws {
        while try await applyPendingRollups() > 0 {}
    }
}
