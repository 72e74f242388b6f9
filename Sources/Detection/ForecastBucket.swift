/// The points of one fixed time bucket of a forecast window, kept as sums.
struct ForecastBucket: Sendable, Equatable, Codable {
    /// `floor(timeMs / bucketMs)`.
    var index: Int64
    var count: Int
    /// Sum of the points' offsets from the bucket start; small numbers, so no precision concerns.
    var sumOffsetMs: Double
    var sumValue: Double

    init(index: Int64, count: Int, sumOffsetMs: Double, sumValue: Double) {
        self.index = index
        self.count = count
        self.sumOffsetMs = sumOffsetMs
        self.sumValue = sumValue
    }

    func meanTimeMs(bucketMs: Int64) -> Double {
        Double(index &* bucketMs) + sumOffsetMs / Double(count)
    }

    var meanValue: Double { sumValue / Double(count) }

    // Encoded as a four-element array rather than an object: a full window holds 240 of these
    // and repeating the keys would double the size of the persisted state.
    init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        index = try container.decode(Int64.self)
        count = try container.decode(Int.self)
        sumOffsetMs = try container.decode(Double.self)
        sumValue = try container.decode(Double.self)
        guard count > 0 else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "forecast bucket with no values")
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(index)
        try container.encode(count)
        try container.encode(sumOffsetMs)
        try container.encode(sumValue)
    }
}
