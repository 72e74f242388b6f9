import Alerting
import Detection
import Foundation
import Logging
import NoitCore
import PostgresNIO
import ServiceLifecycle
import Testing

/// The engine on a real PostgreSQL: a new anomaly series warms up from stored rollups, learned
/// state is saved and comes back after a restart.
@Suite("Alert engine on PostgreSQL: warm-up from history and state across restarts")
struct AlertEngineTests {
    static let check = UUID()
    static let day: Int64 = 86_400_000

    /// A daily sine around 100 (amplitude 20) with a little deterministic wobble.
    static func value(atMs time: Int64) -> Double {
        let phase = Double(time % day) / Double(day) * 2 * .pi
        return 100 + 20 * sin(phase) + Double((time / 300_000) % 7) * 0.3
    }

    static func seed(_ connection: PostgresConnection, days: Int64, endMs: Int64) async throws {
        try await connection.query(
            "INSERT INTO checks (uuid, noit, target, module, name, defined_at) VALUES (\(check), 'noit-a', '10.0.0.9', 'tcp', 'edge', now())",
            logger: FreshDatabase.logger)
        let start = endMs - days * day
        var buckets = [Date](), sums = [Double]()
        var time = start - start % 300_000
        while time < endMs - 300_000 {
            buckets.append(Date(timeIntervalSince1970: Double(time) / 1000))
            sums.append(value(atMs: time + 150_000) * 5)
            time += 300_000
        }
        try await connection.query(
            """
            INSERT INTO metric_rollup_5m (uuid, name, bucket, count, sum, min, max, counter_delta, counter_span)
            SELECT \(check), 'rtt', b, 5, s, s / 5, s / 5, 0, 0 FROM unnest(\(buckets)::timestamptz[], \(sums)::float8[]) AS t(b, s)
            """, logger: FreshDatabase.logger)
    }

    static func metric(_ value: Double, atMs time: Int64) -> Record {
        .metric(timestamp: Timestamp(millisecondsSinceEpoch: time), uuid: check, metric: Metric("rtt", .double(value)))
    }

    /// Runs an engine (with its pool) until `body` returns, then shuts it down gracefully.
    static func withEngine(
        _ configuration: PostgresConnection.Configuration, rules: [AlertRule],
        _ body: @escaping @Sendable (AlertEngine, AlertStore) async throws -> Void
    ) async throws {
        let client = GraphAPITests.client(configuration)
        let store = AlertStore(client: client, logger: FreshDatabase.logger)
        var settings = AlertingSettings()
        settings.rules = rules
        let engine = AlertEngine(store: store, settings: settings, outbox: nil, logger: FreshDatabase.logger)
        let group = ServiceGroup(configuration: .init(services: [client, engine], logger: FreshDatabase.logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                let deadline = ContinuousClock.now + .seconds(60)
                while !engine.counters.started, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
                try await body(engine, store)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// Waits until the engine has judged `batches` batches (a guard ends it after a minute).
    static func waitForBatches(_ engine: AlertEngine, _ batches: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while engine.counters.batches < batches {
            guard ContinuousClock.now < deadline else {
                Issue.record("the engine judged \(engine.counters.batches) of \(batches) batches")
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test("a new anomaly rule learns from eight days of stored rollups and judges the first live value")
    func warmUpFromHistory() async throws {
        try await FreshDatabase.with { configuration, store in
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            try await Self.seed(store.connection, days: 8, endMs: now)
            let rule = try AlertRule(attributes: ["name": "rtt-anomaly", "type": "anomaly", "metric": "rtt", "consecutive": "1"], source: .config)
            try await Self.withEngine(configuration, rules: [rule]) { engine, alerts in
                engine.committed(noit: "noit-a", records: [Self.metric(Self.value(atMs: now), atMs: now)])
                try await Self.waitForBatches(engine, 1)
                let normal = try #require(engine.series(of: Self.check).first)
                #expect(normal.condition == .normal, "\(normal.summary ?? "")")
                let band = try #require(engine.bands(check: Self.check, metric: "rtt", times: [now]).first?.band?.first ?? nil)
                #expect(abs(band.expected - Self.value(atMs: now)) < 5)
                #expect(band.lower < Self.value(atMs: now) && Self.value(atMs: now) < band.upper)

                // Far outside the learned band: opens at once (consecutive 1), not "learning".
                engine.committed(noit: "noit-a", records: [Self.metric(Self.value(atMs: now) + 200, atMs: now + 10_000)])
                try await Self.waitForBatches(engine, 2)
                let firing = try #require(engine.series(of: Self.check).first)
                #expect(firing.condition == .firing)
                #expect(firing.open)
                let open = try await alerts.alerts(state: .open, check: Self.check, limit: 10)
                #expect(open.count == 1)
                #expect(open.first?.details["kind"] == "anomaly")
                #expect(open.first?.details["band_upper"] != nil)
                // The transition saved the series' state with it.
                let saved = try await store.connection.values(
                    "SELECT count(*)::int FROM alert_detector_state WHERE rule = 'rtt-anomaly'", as: Int.self)
                #expect(saved == [1])
            }
        }
    }

    @Test("without history the anomaly series says so instead of guessing")
    func learningWithoutHistory() async throws {
        try await FreshDatabase.with { configuration, store in
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            try await store.connection.query(
                "INSERT INTO checks (uuid, noit, target, module, name, defined_at) VALUES (\(Self.check), 'noit-a', '10.0.0.9', 'tcp', 'edge', now())",
                logger: FreshDatabase.logger)
            let rule = try AlertRule(attributes: ["name": "rtt-anomaly", "type": "anomaly", "metric": "rtt"], source: .config)
            try await Self.withEngine(configuration, rules: [rule]) { engine, _ in
                engine.committed(noit: "noit-a", records: [Self.metric(5000, atMs: now)])
                try await Self.waitForBatches(engine, 1)
                let view = try #require(engine.series(of: Self.check).first)
                #expect(view.condition == .learning)
                #expect(view.summary?.contains("not enough history") == true)
                #expect(!view.open)
            }
        }
    }

    @Test("learned state is saved at shutdown and used after a restart; a changed rule starts afresh")
    func stateAcrossRestarts() async throws {
        try await FreshDatabase.with { configuration, store in
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            try await store.connection.query(
                "INSERT INTO checks (uuid, noit, target, module, name, defined_at) VALUES (\(Self.check), 'noit-a', '10.0.0.9', 'tcp', 'edge', now())",
                logger: FreshDatabase.logger)
            let rule = try AlertRule(attributes: ["name": "rtt-high", "type": "threshold", "metric": "rtt", "above": "100", "consecutive": "3"], source: .config)
            try await Self.withEngine(configuration, rules: [rule]) { engine, _ in
                engine.committed(noit: "noit-a", records: [Self.metric(500, atMs: now), Self.metric(500, atMs: now + 1000)])
                try await Self.waitForBatches(engine, 1)
                #expect(engine.series(of: Self.check).first?.condition == .pending)
            }
            let saved = try await store.connection.values("SELECT count(*)::int FROM alert_detector_state", as: Int.self)
            #expect(saved == [1])
            // Two breaching values survived: the third opens.
            try await Self.withEngine(configuration, rules: [rule]) { engine, alerts in
                engine.committed(noit: "noit-a", records: [Self.metric(500, atMs: now + 1000), Self.metric(500, atMs: now + 2000)])
                try await Self.waitForBatches(engine, 1)
                #expect(engine.series(of: Self.check).first?.condition == .firing)
                #expect(try await alerts.alerts(state: .open, check: nil, limit: 10).count == 1)
            }
            // A different rule of the same name starts from nothing, and its predecessor's alert resolved.
            let changed = try AlertRule(attributes: ["name": "rtt-high", "type": "threshold", "metric": "rtt", "above": "1000", "consecutive": "3"], source: .config)
            try await Self.withEngine(configuration, rules: [changed]) { engine, alerts in
                #expect(try await alerts.alerts(state: .open, check: nil, limit: 10).isEmpty)
                engine.committed(noit: "noit-a", records: [Self.metric(5000, atMs: now + 3000)])
                try await Self.waitForBatches(engine, 1)
                #expect(engine.series(of: Self.check).first?.condition == .pending)
            }
        }
    }

    @Test("one batch that opens and resolves the same alert records both (one saved state for the series)")
    func flapWithinABatch() async throws {
        try await FreshDatabase.with { configuration, store in
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            try await store.connection.query(
                "INSERT INTO checks (uuid, noit, target, module, name, defined_at) VALUES (\(Self.check), 'noit-a', '10.0.0.9', 'tcp', 'edge', now())",
                logger: FreshDatabase.logger)
            let rule = try AlertRule(attributes: ["name": "rtt-high", "type": "threshold", "metric": "rtt", "above": "100"], source: .config)
            try await Self.withEngine(configuration, rules: [rule]) { engine, alerts in
                engine.committed(noit: "noit-a", records: [Self.metric(500, atMs: now), Self.metric(5, atMs: now + 1000)])
                try await Self.waitForBatches(engine, 1)
                let all = try await alerts.alerts(state: .all, check: Self.check, limit: 10)
                #expect(all.map(\.state) == ["resolved"])
                #expect(engine.counters.transitions == 2)
            }
        }
    }
}
