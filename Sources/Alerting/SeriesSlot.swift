import Detection

/// One watched series: its detector, the newest value time it judged (values at or before it
/// are replays and skipped), and what it said last.
public struct SeriesSlot: Sendable, Codable {
    public static let version = 1

    public var version = SeriesSlot.version
    /// The rule's attributes when the detector was made; a changed rule starts afresh.
    public var ruleFingerprint: String
    public var lastJudgedMs: Int64
    public var detector: SeriesDetector
    public var lastCondition: DetectorCondition?
    public var lastSummary: String?

    public init(ruleFingerprint: String, lastJudgedMs: Int64, detector: SeriesDetector) {
        self.ruleFingerprint = ruleFingerprint
        self.lastJudgedMs = lastJudgedMs
        self.detector = detector
    }

    enum CodingKeys: String, CodingKey {
        case version, ruleFingerprint = "rule", lastJudgedMs = "last_ms", detector, lastCondition = "condition", lastSummary = "summary"
    }
}

extension SeriesSlot {
    /// Judges a value unless it is a replay (at or before the newest judged), and remembers
    /// what the detector said.
    mutating func judge(_ point: SeriesPoint, arrivalMs: Int64, isAbsence: Bool) -> DetectorEvaluation? {
        guard isAbsence || point.timeMs > lastJudgedMs else { return nil }
        guard let evaluation = detector.observe(point, arrivalMs: arrivalMs) else { return nil }
        if !isAbsence { lastJudgedMs = point.timeMs }
        remember(evaluation)
        return evaluation
    }

    mutating func judgeRun(timeMs: Int64, available: Bool, good: Bool, arrivalMs: Int64, isAbsence: Bool) -> DetectorEvaluation? {
        guard isAbsence || timeMs > lastJudgedMs else { return nil }
        guard let evaluation = detector.observeRun(timeMs: timeMs, available: available, good: good, arrivalMs: arrivalMs) else { return nil }
        if !isAbsence { lastJudgedMs = timeMs }
        remember(evaluation)
        return evaluation
    }

    mutating func remember(_ evaluation: DetectorEvaluation) {
        lastCondition = evaluation.condition
        lastSummary = evaluation.summary
    }
}

extension AlertRule {
    /// Identifies the rule's behaviour: equal fingerprints keep learned state.
    public var fingerprint: String {
        attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\u{1F}")
    }
}
