/// One observation of a numeric series.
public struct SeriesPoint: Sendable, Equatable, Codable {
    /// Milliseconds since the Unix epoch.
    public var timeMs: Int64
    public var value: Double

    public init(timeMs: Int64, value: Double) {
        self.timeMs = timeMs
        self.value = value
    }
}
