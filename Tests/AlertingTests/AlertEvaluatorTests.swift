import AlertDelivery
import Alerting
import Detection
import Foundation
import NoitCore
import Testing

/// The evaluator on its own: records in, transitions out, no database and no clock.
@Suite("Alert evaluator: open once, resolve once")
struct AlertEvaluatorTests {
    static let web = CheckInfo(uuid: UUID(), name: "web01", target: "10.0.0.1", module: "http", noit: "noit-a")
    static let db = CheckInfo(uuid: UUID(), name: "db01", target: "10.0.1.1", module: "postgres", noit: "noit-a")

    static func rule(_ attributes: [String: String]) throws -> AlertRule {
        try AlertRule(attributes: attributes, source: .api)
    }

    static func value(_ check: CheckInfo, _ name: String, _ value: Double, at seconds: Int64) -> Record {
        .metric(timestamp: Timestamp(millisecondsSinceEpoch: seconds * 1000), uuid: check.uuid, metric: Metric(name, .double(value)))
    }

    static func run(_ check: CheckInfo, available: Bool, good: Bool, at seconds: Int64) -> Record {
        .status(timestamp: Timestamp(millisecondsSinceEpoch: seconds * 1000), uuid: check.uuid, state: good ? .good : .bad,
                availability: available ? .available : .unavailable, durationMilliseconds: 5, status: "ok")
    }

    static func evaluator(_ rules: [AlertRule]) -> AlertEvaluator {
        var evaluator = AlertEvaluator(startMs: 0)
        evaluator.setChecks([web, db])
        #expect(evaluator.setRules(rules, nowMs: 0).isEmpty)
        return evaluator
    }

    @Test("a threshold breach opens after N values, stays open above the clear level, resolves once below it")
    func thresholdHysteresis() throws {
        var evaluator = Self.evaluator([try Self.rule(["name": "slow", "type": "threshold", "module": "http", "metric": "duration",
                                                       "above": "100", "clear": "50", "consecutive": "2", "severity": "critical"])])
        var opened = [AlertTransition](), resolved = [AlertTransition]()
        let values: [Double] = [10, 150, 20, 150, 160, 170, 80, 60, 40, 30, 150]
        for (index, value) in values.enumerated() {
            for transition in evaluator.apply([Self.value(Self.web, "duration", value, at: Int64(index) * 60)], noit: "noit-a", arrivalMs: 0) {
                if transition.action == .open { opened.append(transition) } else { resolved.append(transition) }
            }
        }
        // 150 then 20 resets; 150, 160 opens (second value, t=240); 80 and 60 stay open; 40 resolves.
        #expect(opened.map(\.atMs) == [240_000])
        #expect(resolved.map(\.atMs) == [480_000])
        #expect(opened.first?.severity == .critical)
        #expect(opened.first?.key.alertKey == "slow|\(Self.web.uuid.lowercasedString)|duration")
        #expect(opened.first?.summary.contains("web01 duration") == true)
        #expect(opened.first?.value == 160)
        #expect(evaluator.open.isEmpty)
    }

    @Test("values of other checks and metrics are not judged; replayed values are skipped")
    func selectionAndReplay() throws {
        var evaluator = Self.evaluator([try Self.rule(["name": "slow", "type": "threshold", "module": "http", "metric": "duration", "above": "100"])])
        #expect(evaluator.apply([Self.value(Self.db, "duration", 500, at: 60), Self.value(Self.web, "code", 500, at: 60)], noit: "n", arrivalMs: 0).isEmpty)
        let batch = [Self.value(Self.web, "duration", 500, at: 120)]
        #expect(evaluator.apply(batch, noit: "n", arrivalMs: 0).map(\.action) == [.open])
        // The same batch again (a feed replay) and an older value: nothing new.
        #expect(evaluator.apply(batch, noit: "n", arrivalMs: 0).isEmpty)
        #expect(evaluator.apply([Self.value(Self.web, "duration", 1, at: 60)], noit: "n", arrivalMs: 0).isEmpty)
        #expect(evaluator.open.count == 1)
    }

    @Test("an open alert loaded from the database is not opened again and resolves once")
    func restartKeepsOpenAlerts() throws {
        let rule = try Self.rule(["name": "slow", "type": "threshold", "module": "http", "metric": "duration", "above": "100"])
        var evaluator = Self.evaluator([rule])
        let key = SeriesKey(rule: "slow", check: Self.web.uuid, metric: "duration")
        evaluator.setOpenAlerts([key: OpenAlert(openedAtMs: 1)])
        #expect(evaluator.apply([Self.value(Self.web, "duration", 500, at: 60)], noit: "n", arrivalMs: 0).isEmpty)
        #expect(evaluator.apply([Self.value(Self.web, "duration", 5, at: 120)], noit: "n", arrivalMs: 0).map(\.action) == [.resolve])
    }

    @Test("status: unavailable for two runs opens, the first good run resolves")
    func status() throws {
        var evaluator = Self.evaluator([try Self.rule(["name": "down", "type": "status", "check": "db*", "on": "unavailable", "consecutive": "2"])])
        var actions = [AlertTransition.Action]()
        for (index, available) in [true, false, false, false, true].enumerated() {
            actions += evaluator.apply([Self.run(Self.db, available: available, good: available, at: Int64(index) * 10)], noit: "n", arrivalMs: 0).map(\.action)
            // A bad but available run does not count for an "unavailable" rule.
            actions += evaluator.apply([Self.run(Self.web, available: true, good: false, at: Int64(index) * 10)], noit: "n", arrivalMs: 0).map(\.action)
        }
        #expect(actions == [.open, .resolve])
    }

    @Test("absence: a silent check opens after its window (with a start-up grace) and resolves when data arrives")
    func absence() throws {
        var evaluator = Self.evaluator([try Self.rule(["name": "silent", "type": "absence", "module": "postgres", "window": "5m"])])
        #expect(evaluator.evaluateAbsence(nowMs: 200_000).isEmpty)
        let opened = evaluator.evaluateAbsence(nowMs: 300_001)
        #expect(opened.map(\.action) == [.open])
        #expect(opened.first?.check == Self.db)
        #expect(evaluator.evaluateAbsence(nowMs: 400_000).isEmpty)  // once
        let resolved = evaluator.apply([Self.run(Self.db, available: true, good: true, at: 390)], noit: "n", arrivalMs: 400_000)
        #expect(resolved.map(\.action) == [.resolve])
        #expect(evaluator.evaluateAbsence(nowMs: 600_000).isEmpty)
        #expect(evaluator.evaluateAbsence(nowMs: 700_001).map(\.action) == [.open])
    }

    @Test("changing or deleting a rule resolves its open alerts; deleting a check resolves the check's")
    func retirement() throws {
        let slow = try Self.rule(["name": "slow", "type": "threshold", "metric": "duration", "above": "100"])
        var evaluator = Self.evaluator([slow])
        _ = evaluator.apply([Self.value(Self.web, "duration", 500, at: 60), Self.value(Self.db, "duration", 500, at: 60)], noit: "n", arrivalMs: 0)
        #expect(evaluator.open.count == 2)
        let changed = try Self.rule(["name": "slow", "type": "threshold", "metric": "duration", "above": "1000"])
        let transitions = evaluator.setRules([changed], nowMs: 1)
        #expect(transitions.map(\.action) == [.resolve, .resolve])
        #expect(transitions.allSatisfy { $0.summary.contains("rule changed") })
        _ = evaluator.apply([Self.value(Self.web, "duration", 5000, at: 120)], noit: "n", arrivalMs: 0)
        #expect(evaluator.open.count == 1)
        let deleted = evaluator.apply([.delete(timestamp: Timestamp(millisecondsSinceEpoch: 130_000), uuid: Self.web.uuid, name: "web01")], noit: "n", arrivalMs: 0)
        #expect(deleted.map(\.action) == [.resolve])
        #expect(deleted.first?.summary.contains("check deleted") == true)
        #expect(evaluator.setRules([], nowMs: 2).isEmpty)
    }

    @Test("a check defined in the same batch as its values is judged")
    func checkInBatch() throws {
        var evaluator = Self.evaluator([try Self.rule(["name": "slow", "type": "threshold", "target": "192.*", "metric": "duration", "above": "100"])])
        let uuid = UUID()
        let batch: [Record] = [
            .check(timestamp: Timestamp(millisecondsSinceEpoch: 1000), uuid: uuid, target: "192.168.0.9", module: "tcp", name: "new"),
            .metric(timestamp: Timestamp(millisecondsSinceEpoch: 2000), uuid: uuid, metric: Metric("duration", .double(900))),
        ]
        #expect(evaluator.newSeries(in: batch) == [SeriesKey(rule: "slow", check: uuid, metric: "duration")])
        #expect(evaluator.unknownChecks(in: batch).isEmpty)
        let transitions = evaluator.apply(batch, noit: "noit-b", arrivalMs: 0)
        #expect(transitions.map(\.action) == [.open])
        #expect(transitions.first?.check.noit == "noit-b")
    }

    @Test("saved slots come back only for the same rule definition")
    func slotsFollowTheRule() throws {
        let slow = try Self.rule(["name": "slow", "type": "threshold", "metric": "duration", "above": "100", "consecutive": "3"])
        var evaluator = Self.evaluator([slow])
        _ = evaluator.apply([Self.value(Self.web, "duration", 500, at: 60), Self.value(Self.web, "duration", 500, at: 120)], noit: "n", arrivalMs: 0)
        let saved = evaluator.takeChangedSlots()
        #expect(saved.count == 1)
        let encoded = try JSONEncoder().encode(saved[0].slot)
        let slot = try JSONDecoder().decode(SeriesSlot.self, from: encoded)
        var restarted = Self.evaluator([slow])
        restarted.install(slot, for: saved[0].key)
        // The third breaching value in a row opens: the count survived the restart.
        #expect(restarted.apply([Self.value(Self.web, "duration", 500, at: 180)], noit: "n", arrivalMs: 0).map(\.action) == [.open])
        var other = Self.evaluator([try Self.rule(["name": "slow", "type": "threshold", "metric": "duration", "above": "200", "consecutive": "3"])])
        other.install(slot, for: saved[0].key)
        #expect(other.slot(for: saved[0].key) == nil)
    }
}
