/// The outcome of feeding one input to a detector.
public struct DetectorEvaluation: Sendable, Equatable, Codable {
    public var condition: DetectorCondition
    /// The value that was judged, when there was one.
    public var value: Double?
    /// Anomaly detection: the band the value was judged against.
    public var band: DetectorBand?
    /// Forecasting: when the trend line crosses the level (already past: the latest point's time).
    public var predictedCrossingMs: Int64?
    /// When the current breach began; set while pending or firing.
    public var breachStartedMs: Int64?
    /// One human sentence describing the judgement.
    public var summary: String

    public init(
        condition: DetectorCondition,
        value: Double? = nil,
        band: DetectorBand? = nil,
        predictedCrossingMs: Int64? = nil,
        breachStartedMs: Int64? = nil,
        summary: String
    ) {
        self.condition = condition
        self.value = value
        self.band = band
        self.predictedCrossingMs = predictedCrossingMs
        self.breachStartedMs = breachStartedMs
        self.summary = summary
    }
}
