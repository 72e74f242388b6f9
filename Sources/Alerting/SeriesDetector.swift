import Detection
import Foundation

/// The detector a rule runs for one series, with everything it learned; persisted as JSON.
public enum SeriesDetector: Sendable, Codable {
    case threshold(ThresholdDetector)
    case status(StatusDetector)
    case absence(AbsenceDetector)
    case anomaly(AnomalyDetector)
    case forecast(ForecastDetector)

    /// A fresh detector for `rule`; the rule was validated, so its parameters are sound.
    public init(rule: AlertRule, label: String, startMs: Int64) {
        let persistence = Persistence(consecutive: rule.consecutive ?? (rule.forMilliseconds == nil ? 1 : 0), durationMs: rule.forMilliseconds)
        switch rule.kind {
        case .threshold:
            self = .threshold(ThresholdDetector(configuration: .init(
                direction: rule.direction == .below ? .below : .above, level: rule.level ?? 0,
                clearLevel: rule.clearLevel, persistence: persistence, label: label)))
        case .status:
            var problems = Set<StatusProblem>()
            if rule.statusProblems.contains(.unavailable) { problems.insert(.unavailable) }
            if rule.statusProblems.contains(.bad) { problems.insert(.bad) }
            self = .status(StatusDetector(configuration: .init(fireOn: problems, persistence: persistence)))
        case .absence:
            var detector = AbsenceDetector(configuration: .init(windowMs: rule.windowMilliseconds ?? 300_000))
            detector.start(nowMs: startMs)
            self = .absence(detector)
        case .anomaly:
            var configuration = AnomalyDetector.Configuration()
            if let sensitivity = rule.sensitivity { configuration.sensitivity = sensitivity }
            if rule.consecutive != nil || rule.forMilliseconds != nil { configuration.persistence = persistence }
            if let history = rule.minimumHistoryMilliseconds { configuration.minimumHistoryMs = history }
            self = .anomaly(AnomalyDetector(configuration: configuration))
        case .forecast:
            self = .forecast(ForecastDetector(configuration: .init(
                level: rule.level ?? 0, direction: rule.direction == .below ? .below : .above,
                horizonMs: rule.horizonMilliseconds ?? 86_400_000, windowMs: rule.windowMilliseconds ?? 86_400_000,
                persistence: persistence, label: label)))
        }
    }

    /// Whether history should be replayed into a new detector before it judges live values.
    public var wantsHistory: Bool {
        switch self {
        case .anomaly, .forecast: true
        case .threshold, .status, .absence: false
        }
    }

    /// Feeds stored history without judging it.
    public mutating func learn(_ points: [SeriesPoint]) {
        switch self {
        case .anomaly(var detector):
            self = Self.placeholder
            for point in points { detector.learn(point) }
            self = .anomaly(detector)
        case .forecast(var detector):
            self = Self.placeholder
            for point in points { _ = detector.observe(point) }
            self = .forecast(detector)
        case .threshold, .status, .absence:
            break
        }
    }

    /// Stands in while a detector is taken out of the enum to be changed: with the enum still
    /// holding it, its arrays would be shared and every value would copy them.
    private static let placeholder = SeriesDetector.status(StatusDetector(configuration: .init()))

    /// Judges one numeric value (threshold, anomaly, forecast; absence notes the arrival).
    public mutating func observe(_ point: SeriesPoint, arrivalMs: Int64) -> DetectorEvaluation? {
        switch self {
        case .threshold(var detector):
            self = Self.placeholder
            defer { self = .threshold(detector) }
            return detector.observe(point)
        case .anomaly(var detector):
            self = Self.placeholder
            defer { self = .anomaly(detector) }
            return detector.observe(point)
        case .forecast(var detector):
            self = Self.placeholder
            defer { self = .forecast(detector) }
            return detector.observe(point)
        case .absence(var detector):
            self = Self.placeholder
            defer { self = .absence(detector) }
            return detector.observe(timeMs: arrivalMs)
        case .status:
            return nil
        }
    }

    /// Judges one run (status rules; check-level absence notes the arrival).
    public mutating func observeRun(timeMs: Int64, available: Bool, good: Bool, arrivalMs: Int64) -> DetectorEvaluation? {
        switch self {
        case .status(var detector):
            self = Self.placeholder
            defer { self = .status(detector) }
            return detector.observe(timeMs: timeMs, available: available, good: good)
        case .absence(var detector):
            self = Self.placeholder
            defer { self = .absence(detector) }
            return detector.observe(timeMs: arrivalMs)
        case .threshold, .anomaly, .forecast:
            return nil
        }
    }

    public mutating func evaluateAbsence(nowMs: Int64) -> DetectorEvaluation? {
        guard case .absence(var detector) = self else { return nil }
        self = Self.placeholder
        defer { self = .absence(detector) }
        return detector.evaluate(nowMs: nowMs)
    }

    /// The anomaly band at a time, for graphs.
    public func band(atMs time: Int64) -> DetectorBand? {
        guard case .anomaly(let detector) = self else { return nil }
        return detector.band(atMs: time)
    }

    public var trendLine: TrendLine? {
        guard case .forecast(let detector) = self else { return nil }
        return detector.trendLine()
    }
}
