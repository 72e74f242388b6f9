/// Fires when no data has arrived for longer than a window.
///
/// The silence is measured from the latest arrival, or, before any data has arrived, from the
/// `start(nowMs:)` call (or the first `evaluate(nowMs:)`, which then acts as the start).
/// It fires when `nowMs - reference > windowMs` (strictly longer than the window) and has no
/// separate persistence: the window is the persistence.
public struct AbsenceDetector: Sendable, Equatable, Codable {
    public var configuration: Configuration
    /// Latest arrival time seen, if any.
    public private(set) var lastSeenMs: Int64?
    /// When watching began, used while nothing has arrived yet.
    public private(set) var startedMs: Int64?

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Validates the configuration, then creates the detector.
    public init(validating configuration: Configuration) throws {
        try configuration.validate()
        self.init(configuration: configuration)
    }

    /// Marks the moment watching began; only the first call counts.
    public mutating func start(nowMs: Int64) {
        if startedMs == nil { startedMs = nowMs }
    }

    /// Records a data arrival; always returns `.normal` because data has just been seen.
    /// Arrivals older than the latest one do not move `lastSeenMs` backwards.
    @discardableResult
    public mutating func observe(timeMs: Int64) -> DetectorEvaluation {
        lastSeenMs = max(lastSeenMs ?? timeMs, timeMs)
        return DetectorEvaluation(
            condition: .normal,
            summary: "data arrived (window \(DurationText.describe(ms: configuration.windowMs)))"
        )
    }

    /// Judges the silence at `nowMs`. Mutating only so that the first call can act as `start`
    /// when neither `start` nor `observe` has been called; it changes nothing else.
    public mutating func evaluate(nowMs: Int64) -> DetectorEvaluation {
        if lastSeenMs == nil { start(nowMs: nowMs) }
        let window = configuration.windowMs
        let windowText = DurationText.describe(ms: window)
        let reference = lastSeenMs ?? startedMs ?? nowMs
        let silence = nowMs &- reference
        let silenceText = DurationText.describe(ms: max(0, silence))
        if silence > window {
            let what = lastSeenMs == nil ? "no data since watching began" : "no data"
            return DetectorEvaluation(
                condition: .firing,
                breachStartedMs: reference &+ window,
                summary: "\(what) for \(silenceText) (window \(windowText))"
            )
        }
        let summary = lastSeenMs == nil
            ? "no data yet after \(silenceText) (window \(windowText))"
            : "data seen \(silenceText) ago (window \(windowText))"
        return DetectorEvaluation(condition: .normal, summary: summary)
    }
}
