/// The range of values a model considers normal at one instant.
public struct DetectorBand: Sendable, Equatable, Codable {
    public var expected: Double
    public var lower: Double
    public var upper: Double

    public init(expected: Double, lower: Double, upper: Double) {
        self.expected = expected
        self.lower = lower
        self.upper = upper
    }

    /// Inclusive: a value exactly on an edge is inside.
    public func contains(_ value: Double) -> Bool {
        value >= lower && value <= upper
    }
}
