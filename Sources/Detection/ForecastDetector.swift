/// Predicts when a series will cross a level by fitting a least-squares straight line to the
/// recent window, and fires when the crossing is within the horizon.
///
/// Contract:
/// - The window is split into at most `maximumBuckets` (240) equal time buckets; each bucket's mean
///   (mean time, mean value) is one point of the fit, so dense live data and sparse history weigh
///   the same per unit of time and the state stays bounded (about 240 × 4 numbers).
/// - `.learning` until the data in the window spans at least a quarter of `windowMs` and holds at
///   least 10 values.
/// - A future crossing is predicted only when the slope points towards the level and is
///   statistically distinguishable from flat (|slope| ≥ 3 standard errors); a flat or noisy
///   series predicts no crossing.
/// - If the latest value, or the fitted line at the latest point, is already at or past the level,
///   the crossing is "now" (`predictedCrossingMs` = latest point time) and the value breaches.
/// - A value breaches when the predicted crossing is at most `horizonMs` after the latest point;
///   `predictedCrossingMs` is reported for any predicted future crossing, even beyond the horizon.
/// - Points older than the newest bucket are ignored (data is expected in time order), as are
///   non-finite values.
/// - `observe` is O(1) amortised: sums over closed buckets are recomputed (≤ 240 terms) only when
///   a new bucket opens.
public struct ForecastDetector: Sendable, Equatable, Codable {
    /// Upper bound on the number of buckets kept for the window.
    public static let maximumBuckets = 240
    /// A slope smaller than this many standard errors is treated as no trend.
    static let minimumSlopeSignificance = 3.0
    static let minimumPoints = 10

    public private(set) var configuration: Configuration
    private var buckets: [ForecastBucket] = []
    private var latestMs: Int64?
    private var latestValue: Double?
    private var tracker = BreachTracker()
    /// Derived from `buckets`; rebuilt after decoding, never encoded.
    private var closedSums = ClosedSums()

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Validates the configuration, then creates the detector.
    public init(validating configuration: Configuration) throws {
        try configuration.validate()
        self.init(configuration: configuration)
    }

    /// Width of one bucket: the window divided into `maximumBuckets`, rounded up.
    public var bucketMs: Int64 {
        let window = max(configuration.windowMs, 1)
        let buckets = Int64(Self.maximumBuckets)
        return max(1, (window + buckets - 1) / buckets)
    }

    private var bucketsPerWindow: Int64 {
        let window = max(configuration.windowMs, 1)
        return max(1, (window + bucketMs - 1) / bucketMs)
    }

    /// Judges one value; see the type documentation for the rules.
    public mutating func observe(_ point: SeriesPoint) -> DetectorEvaluation {
        guard point.value.isFinite else { return ignored("ignored non-finite value") }
        let index = Self.floorDiv(point.timeMs, bucketMs)
        if let last = buckets.last, index < last.index { return ignored("ignored out-of-order value") }

        let offset = Double(point.timeMs - index &* bucketMs)
        if buckets.last?.index == index {
            buckets[buckets.count - 1].count += 1
            buckets[buckets.count - 1].sumOffsetMs += offset
            buckets[buckets.count - 1].sumValue += point.value
        } else {
            buckets.append(ForecastBucket(index: index, count: 1, sumOffsetMs: offset, sumValue: point.value))
            let oldestKept = index - bucketsPerWindow + 1
            if let firstKept = buckets.firstIndex(where: { $0.index >= oldestKept }), firstKept > 0 {
                buckets.removeFirst(firstKept)
            }
            rebuildClosedSums()
        }
        latestMs = max(latestMs ?? point.timeMs, point.timeMs)
        latestValue = point.value
        return judge()
    }

    /// The line fitted to the current window, anchored at the latest point, or nil before two
    /// buckets hold data.
    public func trendLine() -> TrendLine? {
        currentFit()?.line
    }

    /// The least-squares fit over all buckets, as a line plus whether its slope is significant.
    private func currentFit() -> (line: TrendLine, significant: Bool)? {
        guard let latestMs, let last = buckets.last else { return nil }
        var sums = closedSums.sums
        sums.add(x: last.meanTimeMs(bucketMs: bucketMs) - closedSums.anchorMs, y: last.meanValue - closedSums.referenceValue)
        guard let fit = sums.fit() else { return nil }
        let atLatest = fit.intercept + fit.slope * (Double(latestMs) - closedSums.anchorMs) + closedSums.referenceValue
        let significant = fit.slopeStandardError == 0
            ? fit.slope != 0
            : fit.slope.magnitude >= Self.minimumSlopeSignificance * fit.slopeStandardError
        return (TrendLine(anchorMs: latestMs, intercept: atLatest, slopePerMs: fit.slope), significant)
    }

    private mutating func judge() -> DetectorEvaluation {
        let c = configuration
        guard let latestMs, let latestValue else { return ignored("no data yet") }
        let pointCount = closedSums.pointCount + (buckets.last?.count ?? 0)
        let oldest = buckets.first.map { Int64($0.meanTimeMs(bucketMs: bucketMs)) } ?? latestMs
        let span = latestMs - oldest
        let needed = c.windowMs / 4
        guard span >= needed, pointCount >= Self.minimumPoints, let (line, significant) = currentFit() else {
            tracker.clear()
            let progress = span >= needed
                ? "\(pointCount) of \(Self.minimumPoints) values"
                : "\(DurationText.describe(ms: max(0, span))) of \(DurationText.describe(ms: needed))"
            return DetectorEvaluation(
                condition: .learning, value: latestValue,
                summary: "not enough history yet (\(progress))")
        }

        let valuePast = c.direction == .above ? latestValue >= c.level : latestValue <= c.level
        let crossing: Int64?
        if valuePast {
            crossing = latestMs
        } else if let linePast = line.crossing(of: c.level, direction: c.direction, fromMs: latestMs),
                  linePast == latestMs || significant {
            crossing = linePast
        } else {
            crossing = nil
        }

        let breaching = crossing.map { $0 - latestMs <= c.horizonMs } ?? false
        if breaching {
            _ = tracker.recordBreach(atMs: latestMs, persistence: c.persistence)
        } else {
            tracker.clear()
        }

        let levelText = ValueText.describe(c.level)
        let summary: String
        if let crossing, crossing == latestMs {
            let subject = valuePast ? ValueText.describe(latestValue) : "trend \(ValueText.describe(line.intercept))"
            summary = "\(c.label) \(subject) already past \(levelText)"
        } else if let crossing {
            let inText = DurationText.describe(ms: crossing - latestMs)
            let beyond = breaching ? "" : ", beyond the \(DurationText.describe(ms: c.horizonMs)) horizon"
            summary = "\(c.label) predicted to reach \(levelText) at \(TimestampText.describe(ms: crossing)) (in \(inText))\(beyond)"
        } else {
            let perHour = ValueText.describe(line.slopePerMs * 3_600_000)
            summary = "\(c.label) not predicted to reach \(levelText) (trend \(perHour)/h)"
        }
        return DetectorEvaluation(
            condition: tracker.condition, value: latestValue, predictedCrossingMs: crossing,
            breachStartedMs: tracker.startedMs, summary: summary)
    }

    private func ignored(_ reason: String) -> DetectorEvaluation {
        DetectorEvaluation(
            condition: tracker.condition, value: latestValue,
            breachStartedMs: tracker.startedMs, summary: reason)
    }

    /// Sums over every bucket but the newest, relative to the oldest bucket, so a point landing
    /// in the newest bucket costs O(1).
    private mutating func rebuildClosedSums() {
        var rebuilt = ClosedSums()
        guard let first = buckets.first else { closedSums = rebuilt; return }
        rebuilt.anchorMs = first.meanTimeMs(bucketMs: bucketMs)
        rebuilt.referenceValue = first.meanValue
        for bucket in buckets.dropLast() {
            rebuilt.pointCount += bucket.count
            rebuilt.sums.add(
                x: bucket.meanTimeMs(bucketMs: bucketMs) - rebuilt.anchorMs,
                y: bucket.meanValue - rebuilt.referenceValue)
        }
        closedSums = rebuilt
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    private struct ClosedSums: Sendable, Equatable {
        var anchorMs = 0.0
        var referenceValue = 0.0
        var pointCount = 0
        var sums = LeastSquaresSums()
    }

    private enum CodingKeys: String, CodingKey {
        case configuration, buckets, latestMs, latestValue, tracker
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        configuration = try container.decode(Configuration.self, forKey: .configuration)
        buckets = try container.decode([ForecastBucket].self, forKey: .buckets)
        latestMs = try container.decodeIfPresent(Int64.self, forKey: .latestMs)
        latestValue = try container.decodeIfPresent(Double.self, forKey: .latestValue)
        tracker = try container.decode(BreachTracker.self, forKey: .tracker)
        rebuildClosedSums()
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(configuration, forKey: .configuration)
        try container.encode(buckets, forKey: .buckets)
        try container.encodeIfPresent(latestMs, forKey: .latestMs)
        try container.encodeIfPresent(latestValue, forKey: .latestValue)
        try container.encode(tracker, forKey: .tracker)
    }
}
