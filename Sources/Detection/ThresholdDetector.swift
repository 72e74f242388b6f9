/// Fires when values stay beyond a fixed level, with hysteresis.
///
/// Contract (for `.above`; `.below` mirrors it):
/// - a value breaches when it is strictly greater than `level`;
/// - while pending, any non-breaching value (<= `level`) resets to `.normal`;
/// - once firing, the detector stays firing until a value is at or below `clearLevel`
///   (`value <= clearLevel` clears), so values between `clearLevel` and `level` keep it open;
/// - NaN and infinite values are ignored: the current condition is returned unchanged and
///   no state changes.
public struct ThresholdDetector: Sendable, Equatable, Codable {
    public var configuration: Configuration
    private var tracker = BreachTracker()
    private var lastValue: Double?

    /// The configuration is not validated here; call `Configuration.validate()` first or use
    /// `init(validating:)`. An invalid configuration gives meaningless but memory-safe results.
    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Validates the configuration, then creates the detector.
    public init(validating configuration: Configuration) throws {
        try configuration.validate()
        self.init(configuration: configuration)
    }

    /// The condition after the latest accepted value.
    public var condition: DetectorCondition { tracker.condition }

    /// Judges one value. See the type documentation for the exact rules.
    public mutating func observe(_ point: SeriesPoint) -> DetectorEvaluation {
        let c = configuration
        guard point.value.isFinite else {
            return evaluation(value: lastValue, summary: "ignored non-finite value; " + describeState())
        }
        lastValue = point.value
        let breaching = c.direction == .above ? point.value > c.level : point.value < c.level
        let cleared = c.direction == .above ? point.value <= c.effectiveClearLevel : point.value >= c.effectiveClearLevel

        if breaching {
            _ = tracker.recordBreach(atMs: point.timeMs, persistence: c.persistence)
        } else if tracker.isFiring {
            if cleared { tracker.clear() }
        } else {
            tracker.clear()
        }
        return evaluation(value: point.value, summary: describeState())
    }

    private func evaluation(value: Double?, summary: String) -> DetectorEvaluation {
        DetectorEvaluation(
            condition: tracker.condition,
            value: value,
            breachStartedMs: tracker.startedMs,
            summary: summary
        )
    }

    private func describeState() -> String {
        let c = configuration
        let label = c.label
        let side = c.direction == .above ? "above" : "below"
        let levelText = ValueText.describe(c.level)
        guard let value = lastValue else { return "\(label): no value yet" }
        let valueText = ValueText.describe(value)
        switch tracker.condition {
        case .firing, .pending:
            let beyond = c.direction == .above ? value > c.level : value < c.level
            if !beyond {
                // Firing but in the hysteresis zone between the clear level and the level.
                let clearText = ValueText.describe(c.effectiveClearLevel)
                return "\(label) \(valueText) still \(side) clear level \(clearText) after going \(side) \(levelText)"
            }
            let count = tracker.count
            return "\(label) \(valueText) \(side) \(levelText) for \(count) value\(count == 1 ? "" : "s")"
        case .normal, .learning:
            let within = c.direction == .above ? "at or below" : "at or above"
            return "\(label) \(valueText) \(within) \(levelText)"
        }
    }
}
