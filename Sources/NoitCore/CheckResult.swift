public enum Availability: Character, Sendable, Hashable {
    case available = "A"
    case unavailable = "U"
}

public enum CheckState: Character, Sendable, Hashable {
    case good = "G"
    case bad = "B"
}

/// What one run of a check found.
public struct CheckResult: Hashable, Sendable {
    public var availability: Availability
    public var state: CheckState
    /// Wall time the run took, in milliseconds.
    public var durationMilliseconds: Int64
    /// A short human-readable summary ("connected in 1.2 ms", "timeout").
    public var status: String
    public var metrics: [Metric]

    public init(
        availability: Availability,
        state: CheckState,
        durationMilliseconds: Int64 = 0,
        status: String,
        metrics: [Metric] = []
    ) {
        self.availability = availability
        self.state = state
        self.durationMilliseconds = durationMilliseconds
        self.status = status
        self.metrics = metrics
    }

    /// The result recorded when a run is cut off at its timeout; partial metrics are discarded.
    public static func timedOut(afterMilliseconds duration: Int64) -> CheckResult {
        CheckResult(availability: .unavailable, state: .bad, durationMilliseconds: duration, status: "timeout")
    }

    public static func failed(_ status: String, durationMilliseconds: Int64 = 0, metrics: [Metric] = []) -> CheckResult {
        CheckResult(
            availability: .unavailable, state: .bad, durationMilliseconds: durationMilliseconds,
            status: status, metrics: metrics)
    }
}
