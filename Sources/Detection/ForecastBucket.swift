/// The points of one fixed time bucket of a forecast window, kept as sums.
struct ForecastBucket: Sendable, Equatable, Codable {
    /// `floor(timeMs / bucketMs)`.
    var index: Int64
    var count: Int
    /// Sum of the points' offsets from the bucket start; small numbers, so no precision concerns.
    var sumOffsetMs: Double
    var sumValue: Double

    func meanTimeMs(bucketMs: Int64) -> Double {
        Double(index &* bucketMs) + sumOffsetMs / Double(count)
    }

    var meanValue: Double { sumValue / Double(count) }
}
