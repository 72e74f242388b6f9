import AlertDelivery
import Foundation

extension AlertRule {
    static let nameCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
    static let commonAttributes = ["name", "type", "severity", "checks", "module", "target", "check", "metric", "hooks", "enabled"]
    static let kindAttributes: [Kind: [String]] = [
        .threshold: ["above", "below", "clear", "for", "consecutive"],
        .absence: ["window"],
        .status: ["on", "for", "consecutive"],
        .anomaly: ["sensitivity", "for", "consecutive", "min_history"],
        .forecast: ["above", "below", "window", "horizon", "for", "consecutive"],
    ]

    /// Parses and validates a rule written as attributes (the XML element's, or the API's
    /// JSON object with every value as text). Reports every problem at once.
    public init(attributes: [String: String], source: Source) throws(AlertRuleError) {
        var problems = [String]()
        let name = attributes["name"] ?? ""
        if name.isEmpty || name.count > 100 || !name.allSatisfy({ Self.nameCharacters.contains($0) }) {
            problems.append("name must be 1 to 100 letters, digits, '_', '.' or '-'")
        }
        guard let kindText = attributes["type"], let kind = Kind(rawValue: kindText) else {
            problems.append("type must be one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            throw AlertRuleError(problems)
        }
        let allowed = Self.commonAttributes + (Self.kindAttributes[kind] ?? [])
        for key in attributes.keys.sorted() where !allowed.contains(key) {
            problems.append("unknown attribute '\(key)' for a \(kind.rawValue) rule (allowed: \(allowed.joined(separator: ", ")))")
        }
        var severity = AlertSeverity.warning
        if let text = attributes["severity"] {
            if let parsed = AlertSeverity(rawValue: text) { severity = parsed } else {
                problems.append("severity must be one of \(AlertSeverity.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        var selector = RuleSelector()
        if let text = attributes["checks"] {
            for item in Self.list(text) {
                if let uuid = UUID(uuidString: item) { selector.checks.append(uuid) } else { problems.append("checks: '\(item)' is not a uuid") }
            }
        }
        func pattern(_ key: String) -> GlobPattern? {
            guard let text = attributes[key] else { return nil }
            if text.isEmpty || text.count > 200 { problems.append("\(key) must be a pattern of 1 to 200 characters") }
            return GlobPattern(text)
        }
        selector.module = pattern("module")
        selector.target = pattern("target")
        selector.checkName = pattern("check")
        selector.metric = pattern("metric")
        var hooks: [String]?
        if let text = attributes["hooks"] { hooks = Self.list(text) }
        var enabled = true
        if let text = attributes["enabled"] {
            switch text {
            case "true", "yes", "1": enabled = true
            case "false", "no", "0": enabled = false
            default: problems.append("enabled must be true or false")
            }
        }
        func number(_ key: String) -> Double? {
            guard let text = attributes[key] else { return nil }
            guard let value = Double(text), value.isFinite else {
                problems.append("\(key) '\(text)' must be a finite number")
                return nil
            }
            return value
        }
        func duration(_ key: String) -> Int64? {
            guard let text = attributes[key] else { return nil }
            guard let value = AlertDurationText.milliseconds(text) else {
                problems.append("\(key) '\(text)' must be a duration such as 90s, 5m, 3h, 2d")
                return nil
            }
            return value
        }

        self.name = name
        self.kind = kind
        self.severity = severity
        self.selector = selector
        self.hooks = hooks
        self.enabled = enabled
        self.source = source
        self.forMilliseconds = duration("for")
        if let text = attributes["consecutive"] {
            if let count = Int(text), (1...100_000).contains(count) { consecutive = count } else {
                problems.append("consecutive '\(text)' must be a whole number from 1 to 100000")
            }
        }

        switch kind {
        case .threshold, .forecast:
            let above = number("above"), below = number("below")
            switch (above, below) {
            case (let level?, nil): direction = .above; self.level = level
            case (nil, let level?): direction = .below; self.level = level
            default: problems.append("give exactly one of above or below")
            }
            if kind == .threshold {
                clearLevel = number("clear")
                if let clear = clearLevel, let level, let direction {
                    if direction == .above && clear > level { problems.append("clear \(clear) must not be above the level \(level)") }
                    if direction == .below && clear < level { problems.append("clear \(clear) must not be below the level \(level)") }
                }
            } else {
                windowMilliseconds = duration("window")
                horizonMilliseconds = duration("horizon")
                if windowMilliseconds == nil && attributes["window"] == nil { problems.append("window (the least-squares window, e.g. 1d) is required") }
                if horizonMilliseconds == nil && attributes["horizon"] == nil { problems.append("horizon (how far ahead to warn, e.g. 3d) is required") }
            }
            if selector.metric == nil { problems.append("metric is required for a \(kind.rawValue) rule") }
        case .absence:
            windowMilliseconds = duration("window")
            if attributes["window"] == nil { problems.append("window (how long without data, e.g. 5m) is required") }
        case .status:
            if let text = attributes["on"] {
                var problemsOn = Set<StatusProblem>()
                for item in Self.list(text) {
                    if let problem = StatusProblem(rawValue: item) { problemsOn.insert(problem) } else {
                        problems.append("on: '\(item)' must be unavailable or bad")
                    }
                }
                if !problemsOn.isEmpty { statusProblems = problemsOn }
            }
            if selector.metric != nil { problems.append("a status rule watches runs, not a metric: remove metric") }
        case .anomaly:
            sensitivity = number("sensitivity")
            if let value = sensitivity, !(value > 0 && value <= 100) { problems.append("sensitivity must be above 0 and at most 100") }
            minimumHistoryMilliseconds = duration("min_history")
            if selector.metric == nil { problems.append("metric is required for an anomaly rule") }
        }
        guard problems.isEmpty else { throw AlertRuleError(problems) }
    }

    /// The rule as attributes, in the form it was accepted (for the API and persistence).
    public var attributes: [String: String] {
        var map: [String: String] = ["name": name, "type": kind.rawValue, "severity": severity.rawValue]
        if !selector.checks.isEmpty { map["checks"] = selector.checks.map { $0.uuidString.lowercased() }.joined(separator: ",") }
        if let module = selector.module { map["module"] = module.text }
        if let target = selector.target { map["target"] = target.text }
        if let check = selector.checkName { map["check"] = check.text }
        if let metric = selector.metric { map["metric"] = metric.text }
        if let hooks { map["hooks"] = hooks.joined(separator: ",") }
        if !enabled { map["enabled"] = "false" }
        if let direction, let level { map[direction.rawValue] = Self.numberText(level) }
        if let clearLevel { map["clear"] = Self.numberText(clearLevel) }
        if let forMilliseconds { map["for"] = AlertDurationText.text(forMilliseconds) }
        if let consecutive { map["consecutive"] = String(consecutive) }
        if let windowMilliseconds { map["window"] = AlertDurationText.text(windowMilliseconds) }
        if let horizonMilliseconds { map["horizon"] = AlertDurationText.text(horizonMilliseconds) }
        if let sensitivity { map["sensitivity"] = Self.numberText(sensitivity) }
        if let minimumHistoryMilliseconds { map["min_history"] = AlertDurationText.text(minimumHistoryMilliseconds) }
        if kind == .status, statusProblems != Set(StatusProblem.allCases) {
            map["on"] = statusProblems.map(\.rawValue).sorted().joined(separator: ",")
        }
        return map
    }

    /// A number as rules write it: whole numbers without a fraction.
    public static func numberText(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
