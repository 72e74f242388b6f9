import Foundation
import NIOPosix
import NoitCore
import PostgresNIO
import Stratcon
import Testing

/// Ingest into a real PostgreSQL: every table, idempotent replay, text change log, rollups.
@Suite("Archive storage")
struct ArchiveStoreTests {
    static let check = UUID(uuidString: "aaaaaaaa-0000-4000-8000-000000000001")!
    /// A 5-minute boundary.
    static let t0: Int64 = 1_700_000_100_000

    static func ts(_ secondsAfter: Int64) -> Timestamp { Timestamp(millisecondsSinceEpoch: t0 + secondsAfter * 1000) }

    static func staged(_ records: [Record]) -> StagedRecords {
        var staged = StagedRecords()
        for record in records { staged.append(record) }
        return staged
    }

    @Test("migrations are recorded and applied once")
    func migrations() async throws {
        try await FreshDatabase.with { _, store in
            let versions: [Int] = try await store.connection.values("SELECT version FROM schema_version ORDER BY version")
            #expect(versions == [1, 2, 3, 4, 5, 6, 7, 8])
            let again = try await SchemaMigrator(directory: SchemaMigrator.defaultDirectory()).migrate(store.connection, logger: FreshDatabase.logger)
            #expect(again.isEmpty)
        }
    }

    @Test("a batch lands in every table, and replaying it changes nothing")
    func ingestAndReplay() async throws {
        try await FreshDatabase.with { _, store in
            let batch = Self.staged([
                .check(timestamp: Self.ts(0), uuid: Self.check, target: "10.0.0.1", module: "http", name: "home\tpage"),
                .status(timestamp: Self.ts(1), uuid: Self.check, state: .good, availability: .available, durationMilliseconds: 12, status: "200 OK\nback\\slash"),
                .metric(timestamp: Self.ts(1), uuid: Self.check, metric: Metric("duration", .int32(12))),
                .metric(timestamp: Self.ts(1), uuid: Self.check, metric: Metric("code", .string("200"))),
                .metric(timestamp: Self.ts(1), uuid: Self.check, metric: Metric("bytes", .null(.uint64))),
            ])
            try await store.ingest(noit: "noit1:43192", records: batch)
            try await store.ingest(noit: "noit1:43192", records: batch)
            let c = store.connection
            #expect(try await c.values("SELECT name FROM checks", as: String.self) == ["home\tpage"])
            #expect(try await c.values("SELECT count(*) FROM check_history", as: Int.self) == [1])
            #expect(try await c.values("SELECT status FROM status_archive", as: String.self) == ["200 OK\nback\\slash"])
            #expect(try await c.values("SELECT count(*) FROM metric_numeric_archive", as: Int.self) == [2])
            #expect(try await c.values("SELECT count(*) FROM metric_numeric_archive WHERE value IS NULL", as: Int.self) == [1])
            #expect(try await c.values("SELECT value FROM metric_text_changes", as: String.self) == ["200"])
            #expect(try await c.values("SELECT state FROM current_status", as: String.self) == ["G"])
            #expect(try await c.values("SELECT name || ':' || type FROM metric_catalogue ORDER BY name", as: String.self)
                == ["bytes:L", "code:s", "duration:i"])
            #expect(try await c.values("SELECT extract(epoch FROM time)::bigint FROM status_archive", as: Int64.self) == [Self.t0 / 1000 + 1])
            // The day partition was created for the data.
            #expect(try await c.values("SELECT count(*) FROM pg_inherits JOIN pg_class p ON p.oid = inhparent WHERE p.relname = 'status_archive'", as: Int.self) == [1])

            try await store.ingest(noit: "noit1:43192", records: Self.staged([.delete(timestamp: Self.ts(5), uuid: Self.check, name: "home\tpage")]))
            #expect(try await c.values("SELECT count(*) FROM checks WHERE deleted_at IS NOT NULL", as: Int.self) == [1])
            #expect(try await c.values("SELECT action FROM check_history ORDER BY time", as: String.self) == ["C", "D"])
        }
    }

    @Test("text metrics are kept only when they change, late data included")
    func textChanges() async throws {
        try await FreshDatabase.with { _, store in
            func text(_ at: Int64, _ value: String) -> Record {
                .metric(timestamp: Self.ts(at), uuid: Self.check, metric: Metric("version", .string(value)))
            }
            try await store.ingest(noit: "n", records: Self.staged([text(0, "1.0"), text(60, "1.0"), text(120, "1.1")]))
            try await store.ingest(noit: "n", records: Self.staged([text(180, "1.1"), text(240, "1.2")]))
            let values: [String] = try await store.connection.values("SELECT value FROM metric_text_changes ORDER BY time")
            #expect(values == ["1.0", "1.1", "1.2"])
            #expect(try await store.connection.values("SELECT text_value FROM current_metrics", as: String.self) == ["1.2"])
        }
    }

    @Test("rollups: count, sum, min, max and a counter rate that ignores resets, exact under late data")
    func rollups() async throws {
        try await FreshDatabase.with { _, store in
            func point(_ at: Int64, _ value: Double) -> Record {
                .metric(timestamp: Self.ts(at), uuid: Self.check, metric: Metric("requests", .double(value)))
            }
            // Bucket 1 (0..<300 s): 100, 160, 220, reset to 10, 70. Bucket 2: 130 at 300 s.
            try await store.ingest(noit: "n", records: Self.staged([point(0, 100), point(60, 160), point(120, 220), point(180, 10)]))
            try await store.ingest(noit: "n", records: Self.staged([point(240, 70), point(300, 130)]))
            struct Row: Equatable { var count: Int64; var sum, min, max, delta, span: Double }
            func rows(_ table: String) async throws -> [Row] {
                // What the RollupWorker does a moment after each commit.
                try await store.applyAllPendingRollups()
                let query: PostgresQuery = switch table {
                case "5m": "SELECT count, sum, min, max, counter_delta, counter_span FROM metric_rollup_5m ORDER BY bucket"
                case "1h": "SELECT count, sum, min, max, counter_delta, counter_span FROM metric_rollup_1h ORDER BY bucket"
                default: "SELECT count, sum, min, max, counter_delta, counter_span FROM metric_rollup_1d ORDER BY bucket"
                }
                var result = [Row]()
                for try await (count, sum, min, max, delta, span) in try await store.connection.query(query, logger: FreshDatabase.logger)
                    .decode((Int64, Double, Double, Double, Double, Double).self) {
                    result.append(Row(count: count, sum: sum, min: min, max: max, delta: delta, span: span))
                }
                return result
            }
            // Deltas in bucket 1: +60, +60, reset (ignored), +60 → 180 over 180 s. Bucket 2's
            // first delta comes from bucket 1's last point: 130 − 70 = 60 over 60 s.
            #expect(try await rows("5m") == [
                Row(count: 5, sum: 560, min: 10, max: 220, delta: 180, span: 180),
                Row(count: 1, sum: 130, min: 130, max: 130, delta: 60, span: 60),
            ])
            // Late: a point at 270 s (100) lands in bucket 1 and changes bucket 2's first delta.
            try await store.ingest(noit: "n", records: Self.staged([point(270, 100)]))
            #expect(try await rows("5m") == [
                Row(count: 6, sum: 660, min: 10, max: 220, delta: 210, span: 210),
                Row(count: 1, sum: 130, min: 130, max: 130, delta: 30, span: 30),
            ])
            let hour = Row(count: 7, sum: 790, min: 10, max: 220, delta: 240, span: 240)
            #expect(try await rows("1h") == [hour])
            #expect(try await rows("1d") == [hour])
            // A replay changes nothing.
            try await store.ingest(noit: "n", records: Self.staged([point(0, 100), point(270, 100), point(300, 130)]))
            #expect(try await rows("1h") == [hour])
        }
    }

    @Test("the catalogue: new series inserted by ingest, first and last seen moved by the rollup pass")
    func catalogueSeen() async throws {
        try await FreshDatabase.with { _, store in
            func point(_ at: Int64) -> Record {
                .metric(timestamp: Self.ts(at), uuid: Self.check, metric: Metric("load", .double(1)))
            }
            try await store.ingest(noit: "n", records: Self.staged([point(60)]))
            // Known now: these batches skip the catalogue, one later and one earlier (late data).
            try await store.ingest(noit: "n", records: Self.staged([point(600)]))
            try await store.ingest(noit: "n", records: Self.staged([point(0)]))
            let seen = "SELECT (extract(epoch FROM first_seen) * 1000)::bigint || '-' || (extract(epoch FROM last_seen) * 1000)::bigint FROM metric_catalogue"
            #expect(try await store.connection.values(PostgresQuery(unsafeSQL: seen), as: String.self) == ["\(Self.t0 + 60_000)-\(Self.t0 + 60_000)"])
            try await store.applyAllPendingRollups()
            #expect(try await store.connection.values(PostgresQuery(unsafeSQL: seen), as: String.self) == ["\(Self.t0)-\(Self.t0 + 600_000)"])
        }
    }

    @Test("a line that is not a record is reported and skipped; the rest is stored")
    func badLines() async throws {
        var staged = StagedRecords()
        staged.append(sequence: 1, line: "garbage without tabs")
        staged.append(sequence: 2, line: Record.status(timestamp: Self.ts(0), uuid: Self.check, state: .bad, availability: .unavailable, durationMilliseconds: 0, status: "timeout").line)
        #expect(staged.rejected.map(\.sequence) == [1])
        #expect(staged.count == 1)
        let stored = staged
        try await FreshDatabase.with { _, store in
            try await store.ingest(noit: "n", records: stored)
            #expect(try await store.connection.values("SELECT status FROM status_archive", as: String.self) == ["timeout"])
        }
    }
}

@Suite("Partition maintenance")
struct PartitionMaintenanceTests {
    @Test("partitions are made a week ahead; raw days past retention are dropped once rolled up, their rollups kept")
    func aheadAndRetention() async throws {
        try await FreshDatabase.with { configuration, store in
            let check = UUID()
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let old = now - 5 * 86_400_000
            var staged = StagedRecords()
            for time in [old, now] {
                staged.append(.metric(timestamp: Timestamp(millisecondsSinceEpoch: time), uuid: check, metric: Metric("load", .double(1.5))))
            }
            try await store.ingest(noit: "n", records: staged)
            let maintenance = PartitionMaintenance(
                settings: .init(rawRetentionDays: 2), configuration: configuration,
                migrator: try SchemaMigrator(directory: SchemaMigrator.defaultDirectory()),
                eventLoop: MultiThreadedEventLoopGroup.singleton.next(), logger: FreshDatabase.logger)
            // While the old day's rollups are pending, nothing of it is dropped.
            let (created, keptPending) = try await maintenance.runOnce()
            #expect(created == 7 * 2)  // today existed; the next 7 days, for both archives
            #expect(keptPending == 0)
            try await store.applyAllPendingRollups()
            let (_, dropped) = try await maintenance.runOnce()
            #expect(dropped == 2)      // the old day, for both archives
            #expect(try await store.connection.values("SELECT count(*)::int FROM metric_numeric_archive", as: Int.self) == [1])
            #expect(try await store.connection.values("SELECT count(*)::int FROM metric_rollup_1d", as: Int.self) == [2])
            let again = try await maintenance.runOnce()
            #expect(again.created == 0 && again.dropped == 0)
        }
    }
}
