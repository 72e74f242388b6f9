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

extension AlertRule {
    /// Identifies the rule's behaviour: equal fingerprints keep learned state.
    public var fingerprint: String {
        attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\u{1F}")
    }
}
