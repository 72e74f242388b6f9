/// Fires when check runs keep reporting a problem (unavailable or bad).
///
/// A run "has the problem" when `fireOn` contains `.unavailable` and the run was not available, or
/// contains `.bad` and the run was not good. Such runs count towards `persistence`; the first run
/// without the problem clears the detector immediately (no hysteresis).
public struct StatusDetector: Sendable, Equatable, Codable {
    public var configuration: Configuration
    private var tracker = BreachTracker()

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Validates the configuration, then creates the detector.
    public init(validating configuration: Configuration) throws {
        try configuration.validate()
        self.init(configuration: configuration)
    }

    /// The condition after the latest run.
    public var condition: DetectorCondition { tracker.condition }

    /// Judges one check run.
    public mutating func observe(timeMs: Int64, available: Bool, good: Bool) -> DetectorEvaluation {
        var problems: [StatusProblem] = []
        if configuration.fireOn.contains(.unavailable) && !available { problems.append(.unavailable) }
        if configuration.fireOn.contains(.bad) && !good { problems.append(.bad) }

        let summary: String
        if problems.isEmpty {
            tracker.clear()
            summary = "check \(available ? "available" : "unavailable"), \(good ? "good" : "bad")"
        } else {
            _ = tracker.recordBreach(atMs: timeMs, persistence: configuration.persistence)
            let what = problems.map(\.rawValue).joined(separator: " and ")
            let count = tracker.count
            summary = "check \(what) for \(count) run\(count == 1 ? "" : "s")"
        }
        return DetectorEvaluation(condition: tracker.condition, breachStartedMs: tracker.startedMs, summary: summary)
    }
}
