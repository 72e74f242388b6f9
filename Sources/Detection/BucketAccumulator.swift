/// The values received so far in the anomaly model's current time bucket.
struct BucketAccumulator: Sendable, Equatable, Codable {
    /// `floor(timeMs / bucketMs)`.
    var index: Int64
    var count: Int = 0
    /// Sum of offsets from the bucket start, so the mean time needs no large numbers.
    var sumOffsetMs: Double = 0
    var sumValue: Double = 0

    var meanValue: Double { sumValue / Double(count) }

    func meanTimeMs(bucketMs: Int64) -> Int64 {
        index &* bucketMs &+ Int64((sumOffsetMs / Double(count)).rounded())
    }

    mutating func add(timeMs: Int64, value: Double, bucketMs: Int64) {
        count += 1
        sumOffsetMs += Double(timeMs &- index &* bucketMs)
        sumValue += value
    }
}
