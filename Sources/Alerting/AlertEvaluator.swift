import AlertDelivery
import Detection
import Foundation
import NoitCore

/// The alerting decisions, without I/O: which rules watch which series, what each detector
/// says about every stored value, and when an alert opens or resolves. The engine feeds it
/// committed batches and a clock tick, and makes its transitions durable.
///
/// An alert opens when its series' detector reaches `firing` and resolves when it returns to
/// `normal`; `pending` and `learning` change nothing, which is where "for 3 values" and
/// "not enough history yet" keep an alert from flapping or guessing.
public struct AlertEvaluator: Sendable {
    public private(set) var rules: [String: AlertRule] = [:]
    public private(set) var checks: [UUID: CheckInfo] = [:]
    public private(set) var open: [SeriesKey: OpenAlert] = [:]
    private(set) var series: [SeriesKey: SeriesSlot] = [:]
    /// Enabled rules whose check matchers select each check.
    private var rulesByCheck: [UUID: [AlertRule]] = [:]
    /// Series whose slot changed since the last `takeChangedSlots`.
    private var changed = Set<SeriesKey>()
    /// Absence is measured from here at the earliest, so a restart (or a feed still catching
    /// up) gets one window of grace instead of paging for every check at once.
    public let startMs: Int64

    public init(startMs: Int64) {
        self.startMs = startMs
    }

    public var seriesCount: Int { series.count }
    /// Values judged by a detector so far (one value under two rules counts twice).
    public private(set) var judgments = 0

    // MARK: - State from the database

    public mutating func setChecks(_ list: [CheckInfo]) {
        checks = Dictionary(list.map { ($0.uuid, $0) }, uniquingKeysWith: { $1 })
        rulesByCheck = [:]
        for check in checks.values { rematch(check) }
        ensureAbsenceSlots()
    }

    public mutating func setOpenAlerts(_ alerts: [SeriesKey: OpenAlert]) {
        open = alerts
    }

    /// Installs a slot loaded from the database or warmed up from history.
    public mutating func install(_ slot: SeriesSlot, for key: SeriesKey) {
        guard let rule = rules[key.rule], rule.fingerprint == slot.ruleFingerprint else { return }
        series[key] = slot
    }

    /// Replaces the rule set. Alerts of rules that were deleted, disabled or changed resolve
    /// (a changed rule judges anew from scratch); everything else keeps its state.
    public mutating func setRules(_ newRules: [AlertRule], nowMs: Int64) -> [AlertTransition] {
        let byName = Dictionary(newRules.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
        var transitions = [AlertTransition]()
        let retired = Set(rules.values.filter { old in
            guard let new = byName[old.name], new.enabled else { return true }
            return new.fingerprint != old.fingerprint
        }.map(\.name))
        if !retired.isEmpty {
            for key in open.keys.sorted() where retired.contains(key.rule) {
                let reason = byName[key.rule] == nil ? "rule deleted" : (byName[key.rule]!.enabled ? "rule changed" : "rule disabled")
                if let transition = forcedResolve(key, rule: rules[key.rule], reason: reason, atMs: nowMs) { transitions.append(transition) }
            }
            series = series.filter { !retired.contains($0.key.rule) }
        }
        rules = byName
        rulesByCheck = [:]
        for check in checks.values { rematch(check) }
        ensureAbsenceSlots()
        return transitions
    }

    /// At start, with the saved slots of the open alerts: an alert whose rule was deleted,
    /// disabled or changed while stratcond was down resolves, as it would have live.
    public mutating func retireStaleAlerts(savedSlots: [SeriesKey: SeriesSlot], nowMs: Int64) -> [AlertTransition] {
        var transitions = [AlertTransition]()
        for key in open.keys.sorted() {
            let rule = rules[key.rule]
            let reason: String?
            if rule == nil {
                reason = "rule deleted"
            } else if checks[key.check] == nil {
                reason = "check deleted"
            } else if rule?.enabled == false {
                reason = "rule disabled"
            } else if let slot = savedSlots[key], slot.ruleFingerprint != rule?.fingerprint {
                reason = "rule changed"
            } else {
                reason = nil
            }
            if let reason {
                if let transition = forcedResolve(key, rule: rule, reason: reason, atMs: nowMs) { transitions.append(transition) }
            } else if let slot = savedSlots[key], series.index(forKey: key) == nil {
                series[key] = slot
            }
        }
        return transitions
    }

    // MARK: - Preparing a batch

    /// The series a batch will touch that have no slot yet: the engine loads their saved
    /// state, or replays history into them, before `apply`.
    public func newSeries(in records: [Record]) -> [SeriesKey] {
        var found = Set<SeriesKey>()
        var pending = [UUID: CheckInfo]()
        for record in records {
            switch record {
            case .check(_, let uuid, let target, let module, let name):
                pending[uuid] = CheckInfo(uuid: uuid, name: name, target: target, module: module, noit: checks[uuid]?.noit ?? "")
            case .metric(_, let uuid, let metric):
                guard metric.value.doubleValue != nil else { continue }
                for rule in rules(for: uuid, pending: pending) where rule.isPerMetric && rule.selector.matches(metric: metric.name) {
                    let key = SeriesKey(rule: rule.name, check: uuid, metric: metric.name)
                    if series.index(forKey: key) == nil { found.insert(key) }
                }
            case .status(_, let uuid, _, _, _, _):
                for rule in rules(for: uuid, pending: pending) where !rule.isPerMetric {
                    let key = SeriesKey(rule: rule.name, check: uuid, metric: "")
                    if series.index(forKey: key) == nil { found.insert(key) }
                }
            case .delete:
                continue
            }
        }
        return found.sorted()
    }

    /// Checks the batch has values for that this evaluator has never heard of (defined
    /// before it started): the engine looks them up before `apply`.
    public func unknownChecks(in records: [Record]) -> [UUID] {
        var defined = Set<UUID>()
        var unknown = Set<UUID>()
        for record in records {
            if case .check = record { defined.insert(record.uuid) } else if checks[record.uuid] == nil, !defined.contains(record.uuid) {
                unknown.insert(record.uuid)
            }
        }
        return Array(unknown)
    }

    public mutating func addChecks(_ list: [CheckInfo]) {
        for check in list {
            checks[check.uuid] = check
            rematch(check)
        }
        ensureAbsenceSlots()
    }

    /// A fresh slot for `key`, for the engine to warm up.
    public func freshSlot(for key: SeriesKey) -> SeriesSlot? {
        guard let rule = rules[key.rule] else { return nil }
        return SeriesSlot(ruleFingerprint: rule.fingerprint, lastJudgedMs: .min, detector: SeriesDetector(rule: rule, label: key.metric.isEmpty ? "value" : key.metric, startMs: startMs))
    }

    // MARK: - Judging

    /// Judges every status and numeric value of a committed batch, in order.
    public mutating func apply(_ records: [Record], noit: String, arrivalMs: Int64) -> [AlertTransition] {
        var transitions = [AlertTransition]()
        for record in records {
            switch record {
            case .check(_, let uuid, let target, let module, let name):
                let check = CheckInfo(uuid: uuid, name: name, target: target, module: module, noit: noit)
                if checks[uuid] != check {
                    checks[uuid] = check
                    rematch(check)
                    ensureAbsenceSlots(for: check)
                }
            case .delete(let time, let uuid, _):
                for key in open.keys.sorted() where key.check == uuid {
                    if let transition = forcedResolve(key, rule: rules[key.rule], reason: "check deleted", atMs: time.millisecondsSinceEpoch) {
                        transitions.append(transition)
                    }
                }
                series = series.filter { $0.key.check != uuid }
                checks[uuid] = nil
                rulesByCheck[uuid] = nil
            case .status(let time, let uuid, let state, let availability, _, _):
                guard let check = checks[uuid] else { continue }
                let timeMs = time.millisecondsSinceEpoch
                for rule in rulesByCheck[uuid] ?? [] where !rule.isPerMetric {
                    let key = SeriesKey(rule: rule.name, check: uuid, metric: "")
                    let isAbsence = rule.kind == .absence
                    // Changed in place through the dictionary: a copy would duplicate the state.
                    if series.index(forKey: key) == nil { series[key] = freshSlot(for: key) }
                    guard let evaluation = series[key]?.judgeRun(
                        timeMs: timeMs, available: availability == .available, good: state == .good, arrivalMs: arrivalMs, isAbsence: isAbsence)
                    else { continue }
                    judgments += 1
                    if let transition = judge(key, evaluation, rule: rule, check: check, atMs: isAbsence ? arrivalMs : timeMs) {
                        transitions.append(transition)
                    }
                    changed.insert(key)
                }
            case .metric(let time, let uuid, let metric):
                guard let value = metric.value.doubleValue, let check = checks[uuid] else { continue }
                let timeMs = time.millisecondsSinceEpoch
                guard let candidates = rulesByCheck[uuid] else { continue }
                for index in candidates.indices where candidates[index].isPerMetric && candidates[index].selector.matches(metric: metric.name) {
                    let rule = candidates[index]
                    let key = SeriesKey(rule: rule.name, check: uuid, metric: metric.name)
                    let isAbsence = rule.kind == .absence
                    if series.index(forKey: key) == nil { series[key] = freshSlot(for: key) }
                    guard let evaluation = series[key]?.judge(
                        SeriesPoint(timeMs: timeMs, value: value), arrivalMs: arrivalMs, isAbsence: isAbsence)
                    else { continue }
                    judgments += 1
                    if let transition = judge(key, evaluation, rule: rule, check: check, atMs: isAbsence ? arrivalMs : timeMs) {
                        transitions.append(transition)
                    }
                    changed.insert(key)
                }
            }
        }
        return transitions
    }

    /// Opens absence alerts whose window passed without data (they resolve when data arrives).
    public mutating func evaluateAbsence(nowMs: Int64) -> [AlertTransition] {
        var transitions = [AlertTransition]()
        let watched = series.compactMap { key, slot -> SeriesKey? in
            if case .absence = slot.detector, open[key] == nil { return key }
            return nil
        }
        for key in watched.sorted() {
            guard let rule = rules[key.rule], let check = checks[key.check],
                  let evaluation = series[key]?.detector.evaluateAbsence(nowMs: nowMs), evaluation.condition == .firing
            else { continue }
            series[key]?.remember(evaluation)
            if let transition = judge(key, evaluation, rule: rule, check: check, atMs: nowMs) { transitions.append(transition) }
        }
        return transitions
    }

    // MARK: - Reading

    public func slot(for key: SeriesKey) -> SeriesSlot? { series[key] }

    /// The series of one check, for the API.
    public func slots(of check: UUID) -> [(key: SeriesKey, slot: SeriesSlot)] {
        series.filter { $0.key.check == check }.map { (key: $0.key, slot: $0.value) }.sorted { $0.key < $1.key }
    }

    /// Slots changed since the last call, for saving.
    public mutating func takeChangedSlots() -> [(key: SeriesKey, slot: SeriesSlot)] {
        defer { changed = [] }
        return changed.compactMap { key in series[key].map { (key: key, slot: $0) } }.filter {
            if case .absence = $0.slot.detector { return false }
            return true
        }
    }

    // MARK: - Private

    private func rules(for uuid: UUID, pending: [UUID: CheckInfo]) -> [AlertRule] {
        if let check = pending[uuid] { return rules.values.filter { $0.enabled && $0.selector.matches(check) } }
        return rulesByCheck[uuid] ?? []
    }

    private mutating func rematch(_ check: CheckInfo) {
        let matching = rules.values.filter { $0.enabled && $0.selector.matches(check) }.sorted { $0.name < $1.name }
        rulesByCheck[check.uuid] = matching.isEmpty ? nil : matching
    }

    private mutating func ensureAbsenceSlots() {
        for check in checks.values { ensureAbsenceSlots(for: check) }
    }

    /// Check-level absence watches every selected check from the start, including one that
    /// never reports; metric-level absence starts with the metric's first value.
    private mutating func ensureAbsenceSlots(for check: CheckInfo) {
        for rule in rulesByCheck[check.uuid] ?? [] where rule.kind == .absence && !rule.isPerMetric {
            let key = SeriesKey(rule: rule.name, check: check.uuid, metric: "")
            if series.index(forKey: key) == nil, let slot = freshSlot(for: key) { series[key] = slot }
        }
    }

    /// The transition an evaluation calls for, given whether the key's alert is open.
    private mutating func judge(_ key: SeriesKey, _ evaluation: DetectorEvaluation, rule: AlertRule, check: CheckInfo, atMs: Int64) -> AlertTransition? {
        switch evaluation.condition {
        case .firing where open[key] == nil:
            open[key] = OpenAlert(openedAtMs: atMs)
            return AlertTransition(
                action: .open, key: key, rule: rule.name, severity: rule.severity, hooks: rule.hooks, check: check,
                value: evaluation.value, summary: Self.summary(rule, check, key, evaluation.summary),
                details: Self.details(rule, evaluation), atMs: atMs)
        case .normal where open[key] != nil:
            open[key] = nil
            return AlertTransition(
                action: .resolve, key: key, rule: rule.name, severity: rule.severity, hooks: rule.hooks, check: check,
                value: evaluation.value, summary: Self.summary(rule, check, key, evaluation.summary),
                details: Self.details(rule, evaluation), atMs: atMs)
        default:
            return nil
        }
    }

    private mutating func forcedResolve(_ key: SeriesKey, rule: AlertRule?, reason: String, atMs: Int64) -> AlertTransition? {
        guard open.removeValue(forKey: key) != nil else { return nil }
        let check = checks[key.check] ?? CheckInfo(uuid: key.check, name: key.check.lowercasedString, target: "", module: "", noit: "")
        return AlertTransition(
            action: .resolve, key: key, rule: key.rule, severity: rule?.severity ?? .warning, hooks: rule?.hooks, check: check,
            value: nil, summary: "\(check.name)\(key.metric.isEmpty ? "" : " \(key.metric)"): \(reason)",
            details: ["reason": reason], atMs: atMs)
    }

    static func summary(_ rule: AlertRule, _ check: CheckInfo, _ key: SeriesKey, _ detector: String) -> String {
        let subject = key.metric.isEmpty ? check.name : "\(check.name) \(key.metric)"
        return "[\(rule.name)] \(subject) (\(check.target)): \(detector)"
    }

    static func details(_ rule: AlertRule, _ evaluation: DetectorEvaluation) -> [String: String] {
        var details = ["kind": rule.kind.rawValue, "condition": evaluation.condition.rawValue, "detector": evaluation.summary]
        if let value = evaluation.value { details["value"] = AlertRule.numberText(value) }
        if let band = evaluation.band {
            details["expected"] = String(band.expected)
            details["band_lower"] = String(band.lower)
            details["band_upper"] = String(band.upper)
        }
        if let crossing = evaluation.predictedCrossingMs { details["predicted_crossing"] = RFC3339.string(fromEpochMilliseconds: crossing) }
        if let since = evaluation.breachStartedMs { details["breach_started"] = RFC3339.string(fromEpochMilliseconds: since) }
        return details
    }
}
