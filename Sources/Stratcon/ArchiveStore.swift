import Foundation
import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// Writes feed batches into the archives on one PostgreSQL connection. Each batch is one
/// transaction, and when `ingest` returns it is committed; only then may the feed
/// acknowledge it.
///
/// Two ways to store a batch, chosen per batch:
/// - **Merge** (the default, and always safe): COPY into staging tables, then merges that
///   ignore rows already stored (`ON CONFLICT DO NOTHING`), so a batch replayed after a crash
///   or a lost ack is harmless, and so are the same records from a second stratcond.
/// - **Direct** (catching up): a large batch whose first record comes after everything this
///   noit's feed has stored (`noits.stored_through`, moved in the same transaction, its row
///   locked meanwhile) cannot hold a stored row, so its statuses and numeric metrics are
///   copied straight into the archive, and the current state is left to the rollup pass
///   (schema 009), which coalesces many batches. That is
///   most of the work of a backlog, done at COPY speed. If a row turns out to be stored after
///   all (two stratconds naming one noit differently, a noit whose journal restarted), the
///   transaction fails on the key and the batch is stored again by merging.
///
/// Every statement is a constant; the only values from the feed travel in the COPY data
/// and in bind parameters.
public final class ArchiveStore: Sendable {
    public let connection: PostgresConnection
    private let logger: Logger
    /// Batches with at least this many records may be stored directly.
    public let directMinimumRecords: Int

    public init(connection: PostgresConnection, logger: Logger, directMinimumRecords: Int = StagedRecords.backlogMinimum) {
        self.connection = connection
        self.logger = logger
        self.directMinimumRecords = directMinimumRecords
    }

    /// Opens a connection, sets the session up (UTC, staging tables) and migrates the schema.
    public static func connect(
        configuration: PostgresConnection.Configuration, migrator: SchemaMigrator,
        eventLoop: any EventLoop, id: Int, logger: Logger, directMinimumRecords: Int = StagedRecords.backlogMinimum
    ) async throws -> ArchiveStore {
        let connection = try await PostgresConnection.connect(on: eventLoop, configuration: configuration, id: id, logger: logger)
        do {
            _ = try await connection.simpleQuery("SET TIME ZONE 'UTC'").get()
            try await migrator.migrate(connection, logger: logger)
            for statement in Self.createStaging { _ = try await connection.simpleQuery(statement).get() }
        } catch {
            try? await connection.close()
            throw error
        }
        return ArchiveStore(connection: connection, logger: logger, directMinimumRecords: directMinimumRecords)
    }

    public func close() async {
        try? await connection.close()
    }

    static let createStaging = [
        """
        CREATE TEMP TABLE IF NOT EXISTS staging_records (
            kind char(1) NOT NULL, time_ms bigint NOT NULL, uuid uuid NOT NULL,
            f1 text, f2 text, f3 text, f4 text
        ) ON COMMIT DELETE ROWS
        """,
        "CREATE TEMP TABLE IF NOT EXISTS staging_status (LIKE status_archive) ON COMMIT DELETE ROWS",
        "CREATE TEMP TABLE IF NOT EXISTS staging_numeric (LIKE metric_numeric_archive) ON COMMIT DELETE ROWS",
    ]

    /// Series (check, metric, type) this connection has seen in the catalogue. Most batches
    /// bring none new, and then skip the catalogue statement; the RollupWorker moves first
    /// and last seen.
    private let knownSeries = Mutex(Set<StagedRecords.Series>())

    /// How the last batches were stored, for the benchmark and the tests.
    public struct Counts: Sendable, Equatable {
        public var direct = 0
        public var merged = 0
        /// Direct attempts that met a stored row and were merged instead.
        public var fellBack = 0

        public init(direct: Int = 0, merged: Int = 0, fellBack: Int = 0) {
            self.direct = direct
            self.merged = merged
            self.fellBack = fellBack
        }
    }

    private let counts = Mutex(Counts())
    public var storedBatches: Counts { counts.withLock { $0 } }

    /// Stores a batch from `noit`; returns once it is committed.
    public func ingest(noit: String, records: StagedRecords) async throws {
        guard records.count > 0 else { return }
        let mayGoDirect = records.count >= directMinimumRecords && records.sequences != nil
        do {
            let direct = try await store(noit: noit, records: records, allowDirect: mayGoDirect)
            counts.withLock { direct ? ($0.direct += 1) : ($0.merged += 1) }
        } catch let error as PSQLError where mayGoDirect && error.serverInfo != nil {
            // Only a refusal by the server, with the connection still usable: a stored row
            // met on the key, or a day partition dropped meanwhile. Merging copes with both.
            logger.notice("a batch could not be stored directly; merging it", metadata: [
                "noit": "\(noit)", "reason": "\(error.serverInfo?[.message] ?? "")"])
            _ = try await store(noit: noit, records: records, allowDirect: false)
            counts.withLock {
                $0.merged += 1
                $0.fellBack += 1
            }
        }
    }

    /// One transaction; true when the batch was stored directly.
    private func store(noit: String, records: StagedRecords, allowDirect: Bool) async throws -> Bool {
        _ = try await connection.simpleQuery("BEGIN").get()
        do {
            // Also locks the noit's row to the commit, so two stratconds sharing a database
            // take their turns at judging `stored_through`. The day partitions the batch needs
            // are made in the same statement: each round trip is a wait on a busy machine.
            // Only the days that have data: a batch spanning a long outage makes no empty days.
            let days = records.days.sorted().map { Int32(clamping: $0) }
            let storedThrough = try await connection.query(
                """
                WITH noit AS (
                    INSERT INTO noits (name, last_batch) VALUES (\(noit), now())
                    ON CONFLICT (name) DO UPDATE SET last_batch = now() RETURNING stored_through
                ), partitions AS (
                    SELECT count(noit_ensure_day_partitions(d, d)) AS made
                    FROM (SELECT DATE '1970-01-01' + unnest(\(days)::integer[]) AS d) days
                )
                SELECT noit.stored_through FROM noit, partitions
                """, logger: logger
            ).collect().first?.decode(Int64.self) ?? 0
            let direct = allowDirect && (records.sequences.map { Int64(clamping: $0.lowerBound) > storedThrough } ?? false)
            let newSeries = try await storeCatalogue(records)
            if records.otherCount > 0 {
                try await copy(records.otherRows, into: "staging_records", columns: ["kind", "time_ms", "uuid", "f1", "f2", "f3", "f4"])
                if records.hasDefinitions { for statement in Self.definitionMerges(noit: noit) { try await connection.query(statement, logger: logger) } }
                if records.hasTextMetrics { for statement in Self.textMerges { try await connection.query(statement, logger: logger) } }
            }
            if records.statusCount > 0 {
                try await store(records.statusRows, direct: direct, into: Self.statuses)
            }
            if records.numericCount > 0 {
                try await store(records.numericRows, direct: direct, into: Self.numericMetrics)
            }
            try await queuePending(records, withStatuses: direct, noit: noit)
            _ = try await connection.simpleQuery("COMMIT").get()
            if !newSeries.isEmpty { knownSeries.withLock { $0.formUnion(newSeries) } }
            return direct
        } catch {
            _ = try? await connection.simpleQuery("ROLLBACK").get()
            throw error
        }
    }

    private func copy(_ rows: ByteBuffer, into table: String, columns: [String]) async throws {
        try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
            try await writer.write(rows)
        }
    }

    /// Where rows in an archive's shape go: straight into the archive, or into its staging
    /// table and from there through the merges.
    struct ArchiveRows {
        var archive: String
        var staging: String
        var columns: [String]
        var merges: [PostgresQuery]
    }

    static let statuses = ArchiveRows(
        archive: "status_archive", staging: "staging_status",
        columns: ["uuid", "time", "state", "availability", "duration_ms", "status"], merges: [mergeStatuses, currentStatus])
    static let numericMetrics = ArchiveRows(
        archive: "metric_numeric_archive", staging: "staging_numeric",
        columns: ["uuid", "time", "name", "value"], merges: [mergeNumeric, currentNumeric])

    private func store(_ rows: BinaryCopyRows, direct: Bool, into target: ArchiveRows) async throws {
        if direct {
            try await connection.copyBinary(rows, into: target.archive, columns: target.columns, logger: logger)
            return
        }
        try await connection.copyBinary(rows, into: target.staging, columns: target.columns, logger: logger)
        for merge in target.merges { try await connection.query(merge, logger: logger) }
    }

    /// New series go into the catalogue before anything reads their type from it; returns
    /// them, to be remembered once the transaction has committed.
    private func storeCatalogue(_ records: StagedRecords) async throws -> [StagedRecords.Series] {
        let new = knownSeries.withLock { known in records.seriesEntries.filter { !known.contains($0.series) } }
        guard !new.isEmpty else { return [] }
        let columns = SeriesColumns(new)
        try await connection.query(
            """
            INSERT INTO metric_catalogue AS c (uuid, name, type, first_seen, last_seen)
            SELECT u, n, t, f, l FROM unnest(\(columns.checks), \(columns.names), \(columns.types), \(columns.firsts), \(columns.lasts)) AS s(u, n, t, f, l)
            ON CONFLICT (uuid, name) DO UPDATE SET
                type = excluded.type,
                first_seen = least(c.first_seen, excluded.first_seen), last_seen = greatest(c.last_seen, excluded.last_seen)
            """, logger: logger)
        return new.map(\.series)
    }

    /// One row for the batch: the RollupWorker recomputes the rollups of the numeric series
    /// it touched from the archive, outside the batch, and (for a batch stored directly)
    /// carries the latest statuses and values into the current state.
    ///
    /// The same statement moves the noit's `stored_through` to the batch's last journal
    /// sequence (one round trip less per batch).
    private func queuePending(_ records: StagedRecords, withStatuses: Bool, noit: String) async throws {
        let ranges = records.numericRanges
        let queues = !ranges.isEmpty || (withStatuses && !records.latestStatuses.isEmpty)
        let through = records.sequences.map { Int64(clamping: $0.upperBound) }
        guard queues || through != nil else { return }
        let series = SeriesColumns(queues ? ranges : [])
        var checks = PostgresBinaryArray(of: .uuid), checkLasts = PostgresBinaryArray(of: .timestamptz)
        var earliest = ranges.map(\.first).min() ?? .max
        if queues && withStatuses {
            for (check, last) in records.latestStatuses {
                checks.append(check)
                checkLasts.append(millisecondsSinceEpoch: last)
                earliest = min(earliest, last)
            }
        }
        let firstTime = queues ? Date(timeIntervalSince1970: Double(earliest) / 1000) : nil
        // NULL `through` (a batch not from a feed) and NULL `firstTime` (nothing to queue)
        // each turn their half of the statement into a no-op.
        try await connection.query(
            """
            WITH queued AS (
                INSERT INTO rollup_pending (first_time, uuids, names, firsts, lasts, status_uuids, status_lasts)
                SELECT \(firstTime), \(series.checks), \(series.names), \(series.firsts), \(series.lasts), \(checks), \(checkLasts)
                WHERE \(firstTime)::timestamptz IS NOT NULL
            )
            UPDATE noits SET stored_through = greatest(stored_through, \(through)::bigint)
            WHERE name = \(noit) AND \(through)::bigint IS NOT NULL
            """, logger: logger)
    }

    static let mergeStatuses: PostgresQuery = "INSERT INTO status_archive SELECT * FROM staging_status ON CONFLICT DO NOTHING"
    static let mergeNumeric: PostgresQuery = "INSERT INTO metric_numeric_archive SELECT * FROM staging_numeric ON CONFLICT DO NOTHING"

    static let currentStatus: PostgresQuery = """
        INSERT INTO current_status AS s (uuid, time, state, availability, duration_ms, status, interval_ms)
        SELECT DISTINCT ON (uuid) uuid, time, state, availability, duration_ms, status,
               noit_interval_ms(lag(time) OVER (PARTITION BY uuid ORDER BY time), time)
        FROM staging_status ORDER BY uuid, time DESC
        ON CONFLICT (uuid) DO UPDATE SET
            time = excluded.time, state = excluded.state, availability = excluded.availability,
            duration_ms = excluded.duration_ms, status = excluded.status,
            interval_ms = CASE WHEN excluded.time > s.time
                               THEN coalesce(excluded.interval_ms, noit_interval_ms(s.time, excluded.time))
                               ELSE s.interval_ms END
        WHERE s.time <= excluded.time
        """

    /// The type comes from the catalogue, which `storeCatalogue` has brought up to date.
    static let currentNumeric: PostgresQuery = """
        INSERT INTO current_metrics AS m (uuid, name, type, time, numeric_value, text_value)
        SELECT DISTINCT ON (n.uuid, n.name) n.uuid, n.name, c.type, n.time, n.value, NULL
        FROM staging_numeric n JOIN metric_catalogue c ON c.uuid = n.uuid AND c.name = n.name
        ORDER BY n.uuid, n.name, n.time DESC
        ON CONFLICT (uuid, name) DO UPDATE SET
            type = excluded.type, time = excluded.time, numeric_value = excluded.numeric_value, text_value = NULL
        WHERE m.time <= excluded.time
        """

    /// Check definitions (`C`) and deletions (`D`) from `staging_records`.
    static func definitionMerges(noit: String) -> [PostgresQuery] {
        [
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
        ]
    }

    /// Text metrics (`M` of type `s`) from `staging_records`: the change log and the latest value.
    static let textMerges: [PostgresQuery] = [
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
            FROM staging_records m WHERE m.kind = 'M'
        ) changes
        WHERE CASE WHEN position = 1 THEN NOT has_previous OR value IS DISTINCT FROM previous_stored
                   ELSE value IS DISTINCT FROM previous_in_batch END
        ON CONFLICT DO NOTHING
        """,
        """
        INSERT INTO current_metrics AS m (uuid, name, type, time, numeric_value, text_value)
        SELECT DISTINCT ON (uuid, f1) uuid, f1, 's', to_timestamp(time_ms / 1000.0), NULL, f3
        FROM staging_records WHERE kind = 'M' ORDER BY uuid, f1, time_ms DESC
        ON CONFLICT (uuid, name) DO UPDATE SET
            type = excluded.type, time = excluded.time, numeric_value = NULL, text_value = excluded.text_value
        WHERE m.time <= excluded.time
        """,
    ]

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
