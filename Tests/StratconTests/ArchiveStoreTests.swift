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
            #expect(versions == [1, 2, 3, 4, 5, 6, 7, 8, 9])
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

    /// Records as a feed batch brings them: journal lines with their sequences.
    static func fed(_ records: [Record], from first: UInt64) -> StagedRecords {
        var staged = StagedRecords()
        for (offset, record) in records.enumerated() { staged.append(sequence: first + UInt64(offset), line: record.line) }
        return staged
    }

    @Test("a catch-up batch goes straight into the archive; a replay, or the same rows from another stratcond, are merged without duplicates")
    func directAndFallback() async throws {
        try await FreshDatabase.with { _, merging in
            // The same connection with a threshold every test batch reaches.
            let store = ArchiveStore(connection: merging.connection, logger: FreshDatabase.logger, directMinimumRecords: 1)
            let other = UUID(uuidString: "aaaaaaaa-0000-4000-8000-000000000002")!
            var records: [Record] = []
            for run in Int64(0)..<3 {
                for uuid in [Self.check, other] {
                    records.append(.status(timestamp: Self.ts(run * 60), uuid: uuid, state: run == 2 ? .bad : .good, availability: .available,
                                           durationMilliseconds: 5, status: "run \(run)\ttab"))
                    records.append(.metric(timestamp: Self.ts(run * 60), uuid: uuid, metric: Metric("rtt", .double(Double(run) + 0.25))))
                    records.append(.metric(timestamp: Self.ts(run * 60), uuid: uuid, metric: Metric("count", .uint64(UInt64(run)))))
                }
            }
            let batch = Self.fed(records, from: 1)
            #expect(batch.sequences == 1...18)
            let c = store.connection
            try await store.ingest(noit: "n", records: batch)
            #expect(store.storedBatches == .init(direct: 1, merged: 0, fellBack: 0))
            #expect(try await c.values("SELECT count(*)::int FROM metric_numeric_archive", as: Int.self) == [12])
            #expect(try await c.values("SELECT status FROM status_archive ORDER BY time, uuid LIMIT 1", as: String.self) == ["run 0\ttab"])
            #expect(try await c.values("SELECT stored_through FROM noits WHERE name = 'n'", as: Int64.self) == [18])
            // The current state follows with the rollup pass, values typed from the catalogue.
            #expect(try await c.values("SELECT count(*)::int FROM current_metrics", as: Int.self) == [0])
            #expect(try await c.values("SELECT count(*)::int FROM current_status", as: Int.self) == [0])
            try await store.applyAllPendingRollups()
            #expect(try await c.values("SELECT state || interval_ms || status FROM current_status ORDER BY uuid", as: String.self)
                == ["B60000run 2\ttab", "B60000run 2\ttab"])
            #expect(try await c.values("SELECT name || type || numeric_value FROM current_metrics WHERE uuid = \(Self.check) ORDER BY name", as: String.self)
                == ["countL2", "rttn2.25"])
            #expect(try await c.values("SELECT count(*)::int FROM metric_rollup_5m", as: Int.self) == [4])

            // The noit resends after a lost ack: it starts at or before stored_through, so it merges.
            try await store.ingest(noit: "n", records: batch)
            #expect(store.storedBatches == .init(direct: 1, merged: 1, fellBack: 0))
            // A second stratcond names the noit differently: its stored_through says nothing
            // of these rows, the direct attempt meets them on the key and merges instead.
            try await store.ingest(noit: "n-by-another-name", records: batch)
            #expect(store.storedBatches == .init(direct: 1, merged: 2, fellBack: 1))
            #expect(try await c.values("SELECT count(*)::int FROM metric_numeric_archive", as: Int.self) == [12])
            #expect(try await c.values("SELECT count(*)::int FROM status_archive", as: Int.self) == [6])
            #expect(try await c.values("SELECT stored_through FROM noits ORDER BY name", as: Int64.self) == [18, 18])

            // A small batch (live, not catching up) merges and sets the latest values itself.
            let live = Self.fed([.metric(timestamp: Self.ts(180), uuid: Self.check, metric: Metric("rtt", .double(9)))], from: 19)
            try await merging.ingest(noit: "n", records: live)
            #expect(merging.storedBatches == .init(direct: 0, merged: 1, fellBack: 0))
            #expect(try await c.values("SELECT numeric_value FROM current_metrics WHERE uuid = \(Self.check) AND name = 'rtt'", as: Double.self) == [9])
        }
    }

    @Test("batches that queued up together are stored in one transaction, as if one after the other")
    func mergedBatches() async throws {
        func run(_ index: Int64, _ uuid: UUID) -> [Record] {
            [.status(timestamp: Self.ts(index * 60), uuid: uuid, state: .good, availability: .available, durationMilliseconds: index,
                     status: "run \(index)"),
             .metric(timestamp: Self.ts(index * 60), uuid: uuid, metric: Metric("rtt", .double(Double(index))))]
        }
        let other = UUID(uuidString: "aaaaaaaa-0000-4000-8000-000000000003")!
        var merged = Self.fed(run(0, Self.check) + run(0, other) + run(1, Self.check), from: 1)
        merged.append(contentsOf: Self.fed(run(2, Self.check) + [.check(timestamp: Self.ts(150), uuid: other, target: "t", module: "tcp", name: "n")]
            + run(3, other), from: 7))
        #expect(merged.count == 11)
        #expect(merged.sequences == 1...11)
        #expect(merged.numericRanges.count == 2)
        let batch = merged
        try await FreshDatabase.with { _, merging in
            let store = ArchiveStore(connection: merging.connection, logger: FreshDatabase.logger, directMinimumRecords: 1)
            try await store.ingest(noit: "n", records: batch)
            #expect(store.storedBatches == .init(direct: 1, merged: 0, fellBack: 0))
            try await store.applyAllPendingRollups()
            let c = store.connection
            #expect(try await c.values("SELECT count(*)::int FROM status_archive", as: Int.self) == [5])
            #expect(try await c.values("SELECT name FROM checks", as: String.self) == ["n"])
            #expect(try await c.values("SELECT status FROM current_status ORDER BY uuid", as: String.self) == ["run 2", "run 3"])
            #expect(try await c.values("SELECT numeric_value FROM current_metrics ORDER BY uuid", as: Double.self) == [2, 3])
            #expect(try await c.values("SELECT stored_through FROM noits", as: Int64.self) == [11])
            #expect(try await c.values("SELECT sum(count)::int FROM metric_rollup_1d", as: Int.self) == [5])
        }
    }

    @Test("a metric whose type changes within a batch is catalogued once, with its latest type")
    func typeChangeWithinBatch() async throws {
        let batch = Self.staged([
            .metric(timestamp: Self.ts(0), uuid: Self.check, metric: Metric("v", .int32(1))),
            .metric(timestamp: Self.ts(60), uuid: Self.check, metric: Metric("v", .double(1.5))),
        ])
        try await FreshDatabase.with { _, store in
            // Two catalogue rows for one (check, metric) would make the upsert touch a row twice
            // and fail the batch, and with it the feed.
            try await store.ingest(noit: "n", records: batch)
            #expect(try await store.connection.values("SELECT type FROM metric_catalogue", as: String.self) == ["n"])
            #expect(try await store.connection.values("SELECT count(*)::int FROM metric_numeric_archive", as: Int.self) == [2])
        }
    }

    @Test("archive times keep their milliseconds, across seconds, midnight and leap days")
    func copiedTimes() async throws {
        // 2024-02-29 23:59:59.999, the next millisecond, one in 1999, and t0 + 5 ms.
        let times: [Int64] = [1_709_251_199_999, 1_709_251_200_000, 946_684_799_001, Self.t0 + 5]
        var staged = StagedRecords()
        for time in times {
            staged.append(.metric(timestamp: Timestamp(millisecondsSinceEpoch: time), uuid: Self.check, metric: Metric("v", .int32(1))))
            staged.append(.status(timestamp: Timestamp(millisecondsSinceEpoch: time), uuid: Self.check, state: .good, availability: .available,
                                  durationMilliseconds: 0, status: ""))
        }
        let stored = staged
        try await FreshDatabase.with { _, store in
            try await store.ingest(noit: "n", records: stored)
            let ms = "(extract(epoch FROM time) * 1000)::bigint"
            #expect(try await store.connection.values(PostgresQuery(unsafeSQL: "SELECT \(ms) FROM metric_numeric_archive ORDER BY time"), as: Int64.self)
                == times.sorted())
            #expect(try await store.connection.values(PostgresQuery(unsafeSQL: "SELECT \(ms) FROM status_archive ORDER BY time"), as: Int64.self)
                == times.sorted())
            // 24 years between two of the runs saturates instead of failing the batch; the
            // latest two are 1 ms apart.
            #expect(try await store.connection.values("SELECT interval_ms FROM current_status", as: Int32.self) == [1])
            let resumed = Self.staged([.status(timestamp: Timestamp(millisecondsSinceEpoch: times[1] + 40 * 86_400_000), uuid: Self.check, state: .good, availability: .available,
                                               durationMilliseconds: 0, status: "")])
            try await store.ingest(noit: "n", records: resumed)
            #expect(try await store.connection.values("SELECT interval_ms FROM current_status", as: Int32.self) == [Int32.max])
        }
    }

    @Test("awkward values survive the binary COPY, copied directly or merged: NUL, non-ASCII, extreme numbers", arguments: [1, 1_000_000])
    func awkwardValues(directMinimumRecords: Int) async throws {
        let values: [(String, MetricValue)] = [
            ("big", .uint64(.max)), ("negative", .int64(.min)), ("tiny", .double(5e-324)), ("nan", .double(.nan)),
            ("inf", .double(-.infinity)), ("zero", .int32(0)), ("nul\u{0}name", .double(1)), ("π ✓ \\ \t", .uint32(.max)),
        ]
        var records: [Record] = [.status(timestamp: Self.ts(0), uuid: Self.check, state: .bad, availability: .unavailable,
                                         durationMilliseconds: .max, status: "nul\u{0}here, ünïcödé \\N\t\n")]
        for (name, value) in values { records.append(.metric(timestamp: Self.ts(0), uuid: Self.check, metric: Metric(name, value))) }
        let batch = Self.fed(records, from: 1)
        try await FreshDatabase.with { _, connected in
            let store = ArchiveStore(connection: connected.connection, logger: FreshDatabase.logger, directMinimumRecords: directMinimumRecords)
            try await store.ingest(noit: "n", records: batch)
            #expect(store.storedBatches.direct == (directMinimumRecords == 1 ? 1 : 0))
            let c = store.connection
            #expect(try await c.values("SELECT status FROM status_archive", as: String.self) == ["nul\u{FFFD}here, ünïcödé \\N\t\n"])
            #expect(try await c.values("SELECT state || availability || duration_ms FROM status_archive", as: String.self) == ["BU\(Int32.max)"])
            let names = try await c.values("SELECT name FROM metric_numeric_archive ORDER BY name", as: String.self)
            let stored = try await c.values("SELECT value FROM metric_numeric_archive ORDER BY name", as: Double.self)
            let byName = Dictionary(uniqueKeysWithValues: zip(names, stored))
            #expect(byName.count == values.count)
            for (name, value) in values {
                let expected = value.doubleValue!
                let got = byName[name.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}")]
                #expect(got.map { $0.bitPattern == expected.bitPattern || ($0.isNaN && expected.isNaN) } == true, "\(name): \(String(describing: got))")
            }
        }
    }

    @Test("a line that is not a record is reported and skipped; the rest is stored")
    func badLines() async throws {
        var staged = StagedRecords()
        staged.append(sequence: 1, line: "garbage without tabs")
        staged.append(sequence: 2, line: Record.status(timestamp: Self.ts(0), uuid: Self.check, state: .bad, availability: .unavailable, durationMilliseconds: 0, status: "timeout").line)
        // Times past Int64 milliseconds, or past the years PostgreSQL stores, are refused
        // here: they would trap, or fail the batch on every retry.
        let check = Self.check.uuidString.lowercased()
        staged.append(sequence: 3, line: "S\t99999999999999999.000\t\(check)\tG\tA\t1\tfar")
        staged.append(sequence: 4, line: "S\t300000000000.000\t\(check)\tG\tA\t1\tyear 11476")
        staged.append(sequence: 5, line: "M\t-300000000000\t\(check)\tv\tn\t1")
        // A duration no run has must not trap the lag arithmetic either.
        staged.append(sequence: 6, line: "S\t\(Self.t0 / 1000 + 1).000\t\(check)\tG\tA\t9223372036854775807\tslow")
        #expect(staged.rejected.map(\.sequence) == [1, 3, 4, 5])
        #expect(staged.count == 2)
        let stored = staged
        try await FreshDatabase.with { _, store in
            try await store.ingest(noit: "n", records: stored)
            #expect(try await store.connection.values("SELECT status || duration_ms FROM status_archive ORDER BY time", as: String.self)
                == ["timeout0", "slow\(Int32.max)"])
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
