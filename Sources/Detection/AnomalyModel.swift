import Foundation

/// The learned baseline behind `AnomalyDetector`: a level with a trend plus a seasonal offset
/// profile, a robust residual scale, and the bucket currently being filled.
///
/// How it learns (rates are per 5-minute reference step and scaled by elapsed time, so sparse and
/// dense data adapt at the same speed per unit of time):
/// - Values are averaged into fixed buckets (`bucketMs`); the model is updated once per closed
///   bucket with the bucket mean. That makes live data every 10 s and 5-minute history
///   interchangeable and keeps the per-value cost to a few additions.
/// - Two seasonal profiles learn the offset of each bucket from the level: a daily one (24 hour
///   slots) and a weekly one (168). The prediction uses the daily profile until a week of history
///   has been seen and every weekly slot has data, then the weekly one alone (it contains the
///   daily shape, learned separately for each day of the week).
/// - A profile's first period is learned with running-mean rates and no clipping; after that,
///   the residual is clipped to ±`huberScales` robust scales (a Huber-style update) before it
///   moves the profile or the level, so an outlier of any size moves the baseline by a bounded,
///   small amount.
/// - The level learns what the profile left unexplained, slowly (about 3.5 days of memory) so a
///   drift is noticed before it is absorbed; the trend is updated once a day (`updateTrend`).
/// - Residual scale: `RobustScale` over bucket residuals (model error at bucket resolution) plus a
///   second one over deviations of single values from their bucket's running mean (sampling noise
///   that averaging hides); a single value is judged against both combined (`valueScale`).
/// - Sustained shifts: see `LevelShiftMonitor`; once the weekly profile is in use, a one-sided
///   departure lasting `adoptShiftAfterMs` is added to the level at once.
struct AnomalyModel: Sendable, Equatable, Codable {
    static let dayMs: Int64 = 86_400_000
    static let weekMs: Int64 = 7 * dayMs
    /// Learning rates below are per this much elapsed time.
    static let referenceStepMs: Int64 = 300_000
    /// Level: about 1,000 steps (3.5 days) of memory, slow so drifts are noticed before they are
    /// absorbed and so the level does not chase the profile's day-to-day errors.
    static let levelRate = 0.001
    /// Fraction of a day's unexplained level movement added to the trend at each daily update.
    static let trendGain = 0.2
    /// Daily slots: each is visited about 12 times a day, so about 2 days of memory.
    static let dailyRate = 0.05
    /// Weekly slots: each is visited about 12 times a week, so about a week of memory.
    static let weeklyRate = 0.1
    /// The scale moves by ±0.5 % per step: a tenfold change takes about two days, and a few
    /// hours of anomalous values widen the band by only a few tens of percent.
    static let scaleRate = 0.01
    /// Per value, not per time: it measures sampling noise at whatever rate values arrive.
    static let withinScaleRate = 0.01
    static let huberScales = 2.0
    /// Share of the step between adjacent seasonal slots added to the spread (see `valueScale`).
    static let steepnessFraction = 0.1
    /// Caps the weight of one bucket after a gap, so a lone value after an outage cannot count as
    /// hours of evidence.
    static let maximumStepsPerUpdate = 6.0
    static let visitCap = 64
    /// Lower bound on the scale relative to the expected value, so a constant series does not get
    /// a band of zero width that floating-point noise would breach.
    static let minimumRelativeScale = 1e-4
    /// Trend extrapolation is limited to this far from the level's anchor, for predictions and
    /// bands far from the latest data.
    static let maximumTrendExtrapolationMs: Int64 = dayMs

    var level: Double = 0
    var levelAtMs: Int64 = 0
    var trendPerMs: Double = 0
    var daily = SeasonalProfile(slots: 24)
    var weekly = SeasonalProfile(slots: 168)
    var bucketScale = RobustScale()
    var withinScale = RobustScale()
    /// Smallest non-zero difference seen between consecutive values: the data's resolution
    /// (1 for integer counts), half of which bounds the scale from below.
    var resolution: Double?
    var shift = LevelShiftMonitor()
    var open: BucketAccumulator?
    var firstMs: Int64?
    var lastMs: Int64?
    var lastValue: Double?
    /// Mean time of the latest closed bucket.
    var lastUpdateMs: Int64?
    var closedBuckets: Int = 0
    /// Daily trend update bookkeeping (see `updateTrend`).
    var trendCheckpointMs: Int64?
    var trendCheckpointLevel: Double = 0
    var trendAdvanceSinceCheckpoint: Double = 0
    var adoptedSinceCheckpoint: Double = 0
    /// Daily slot of the latest recentring, so it runs once per hour of data.
    var lastRecentredHour: Int = -1
    var lastRecentredWeekly: Bool = false

    var historyMs: Int64 {
        guard let firstMs, let lastMs else { return 0 }
        return lastMs - firstMs
    }

    /// Whether decoded state has the slot counts this code indexes into.
    var hasExpectedShape: Bool { daily.slotCount == 24 && weekly.slotCount == 168 }

    var weeklyTrusted: Bool { historyMs >= Self.weekMs && weekly.isComplete }

    func expected(atMs timeMs: Int64) -> Double {
        let sinceLevel = min(max(timeMs &- levelAtMs, -Self.maximumTrendExtrapolationMs), Self.maximumTrendExtrapolationMs)
        let seasonal = weeklyTrusted
            ? weekly.value(at: weekly.position(atMs: timeMs))
            : daily.value(at: daily.position(atMs: timeMs))
        return level + trendPerMs * Double(sinceLevel) + seasonal
    }

    func scaleFloor(expected: Double) -> Double {
        max(Self.minimumRelativeScale * expected.magnitude, 0.5 * (resolution ?? 0), 1e-12)
    }

    /// The Gaussian-equivalent spread of a single value around `expected` at `timeMs`.
    ///
    /// Three parts add in quadrature: the bucket-level model error, the sampling noise of single
    /// values within a bucket, and a term for steep parts of the seasonal profile. Where the
    /// profile changes a lot from one hour slot to the next (business hours starting, a weekend
    /// ending), interpolation between slot centres and day-to-day timing jitter produce errors
    /// that the global scale does not reflect, so the band widens by a fraction of the step.
    func valueScale(expected: Double, atMs timeMs: Int64) -> Double {
        let bucket = bucketScale.sigma
        let within = withinScale.sigma
        let steepness = Self.steepnessFraction * seasonalStep(atMs: timeMs)
        let combined = (bucket * bucket + within * within + steepness * steepness).squareRoot()
        return max(combined, scaleFloor(expected: expected))
    }

    /// Difference between the two slots the profile in use interpolates between at `timeMs`.
    func seasonalStep(atMs timeMs: Int64) -> Double {
        let profile = weeklyTrusted ? weekly : daily
        let position = profile.position(atMs: timeMs)
        return (profile.values[position.second] - profile.values[position.first]).magnitude
    }

    func band(atMs timeMs: Int64, sensitivity: Double) -> DetectorBand {
        let expected = expected(atMs: timeMs)
        let halfWidth = sensitivity * valueScale(expected: expected, atMs: timeMs)
        return DetectorBand(expected: expected, lower: expected - halfWidth, upper: expected + halfWidth)
    }

    /// Adds one value. Values earlier than the bucket being filled are ignored (history is
    /// expected in time order); non-finite values are ignored.
    mutating func learn(_ point: SeriesPoint, bucketMs: Int64, adoptShiftAfterMs: Int64) {
        guard point.value.isFinite else { return }
        let index = Self.floorDiv(point.timeMs, bucketMs)
        if let open, index < open.index { return }

        if let lastValue, point.value != lastValue {
            let step = (point.value - lastValue).magnitude
            if step.isFinite { resolution = min(resolution ?? step, step) }
        }
        lastValue = point.value
        if firstMs == nil { firstMs = point.timeMs }
        lastMs = max(lastMs ?? point.timeMs, point.timeMs)

        if let current = open, current.index != index {
            close(current, bucketMs: bucketMs, adoptShiftAfterMs: adoptShiftAfterMs)
            open = nil
        }
        var bucket = open ?? BucketAccumulator(index: index)
        if bucket.count > 0 {
            // Deviation from the mean of the earlier values, rescaled because that mean is itself
            // uncertain: Var(x - mean of n) = s^2 (1 + 1/n).
            let n = Double(bucket.count)
            let deviation = (point.value - bucket.meanValue).magnitude * (n / (n + 1)).squareRoot()
            withinScale.update(magnitude: deviation, rate: Self.withinScaleRate, floor: 0)
        }
        bucket.add(timeMs: point.timeMs, value: point.value, bucketMs: bucketMs)
        open = bucket
    }

    /// Folds the bucket being filled into the model now (used when the bucket size changes).
    mutating func flush(bucketMs: Int64, adoptShiftAfterMs: Int64) {
        if let current = open {
            close(current, bucketMs: bucketMs, adoptShiftAfterMs: adoptShiftAfterMs)
            open = nil
        }
    }

    private mutating func close(_ bucket: BucketAccumulator, bucketMs: Int64, adoptShiftAfterMs: Int64) {
        let y = bucket.meanValue
        let t = bucket.meanTimeMs(bucketMs: bucketMs)
        closedBuckets += 1
        guard let previous = lastUpdateMs else {
            level = y
            levelAtMs = t
            lastUpdateMs = t
            return
        }
        let steps = min(max(Double(t - previous) / Double(Self.referenceStepMs), 0), Self.maximumStepsPerUpdate)
        lastUpdateMs = max(previous, t)

        if t > levelAtMs {
            let advance = trendPerMs * Double(min(t - levelAtMs, Self.maximumTrendExtrapolationMs))
            level += advance
            trendAdvanceSinceCheckpoint += advance
            levelAtMs = t
        }
        // A profile's first period is learned without clipping: nothing is known yet that a
        // residual could be an outlier against, and clipping would make learning a large
        // seasonal swing take weeks.
        let dailySettled = historyMs >= Self.dayMs && daily.isComplete
        let weeklyOn = weeklyTrusted
        let dailyPosition = daily.position(atMs: t)
        let weeklyPosition = weekly.position(atMs: t)
        let prediction = level + (weeklyOn ? weekly.value(at: weeklyPosition) : daily.value(at: dailyPosition))
        var residual = y - prediction
        let floor = scaleFloor(expected: prediction)
        let scale = bucketScale.isReady ? max(bucketScale.sigma, floor) : 0

        bucketScale.update(magnitude: residual.magnitude, rate: Self.rate(Self.scaleRate, steps), floor: floor)
        // Before the weekly profile is in use, weekends look like level shifts; adopting them
        // would keep the weekly profile from ever learning them.
        if weeklyOn,
           let adopted = shift.observe(residual: residual, scale: scale, atMs: t, adoptAfterMs: adoptShiftAfterMs) {
            level += adopted
            residual -= adopted
            adoptedSinceCheckpoint += adopted
        }
        let bound = scale > 0 ? Self.huberScales * scale : Double.infinity

        // Both profiles learn the value's offset from the level independently; the daily one is
        // only used until the weekly one is trusted.
        let dailyResidual = y - level - daily.value(at: dailyPosition)
        _ = daily.learn(
            dailySettled ? Self.clip(dailyResidual, bound) : dailyResidual,
            at: dailyPosition, rate: Self.rate(Self.dailyRate, steps), visitCap: Self.visitCap)
        let weeklyResidual = y - level - weekly.value(at: weeklyPosition)
        let weeklyInput = weeklyOn ? Self.clip(weeklyResidual, bound) : weeklyResidual
        let weeklyChange = weekly.learn(
            weeklyInput, at: weeklyPosition, rate: Self.rate(Self.weeklyRate, steps), visitCap: Self.visitCap)

        // The level learns what the weekly profile left unexplained. During the first week the
        // weekly slots absorb almost everything (running-mean rates), so the level is not
        // dragged around by the not-yet-known weekly pattern.
        let levelRate = Self.rate(Self.levelRate, steps)
        level += levelRate * Self.clip(weeklyResidual - weeklyChange, bound)

        recentre(weeklyOn: weeklyOn, hour: dailyPosition.first)
        // The trend is learned from the level's movement, which means little until the weekly
        // profile has been in use for a day and the switch to it has settled.
        if weeklyOn && historyMs >= Self.weekMs + Self.dayMs { updateTrend(atMs: t) }
    }

    /// Once a day, moves the trend part of the way towards the level's net movement over that day
    /// that the trend did not already explain. Measuring over whole days cancels the daily
    /// shape's imperfections, which per-bucket (Holt-style) trend updates would chase.
    private mutating func updateTrend(atMs timeMs: Int64) {
        guard let checkpointMs = trendCheckpointMs else {
            startTrendCheckpoint(atMs: timeMs)
            return
        }
        let elapsed = timeMs - checkpointMs
        guard elapsed >= Self.dayMs else { return }
        let unexplained = level - trendCheckpointLevel - trendAdvanceSinceCheckpoint - adoptedSinceCheckpoint
        trendPerMs += Self.trendGain * unexplained / Double(elapsed)
        startTrendCheckpoint(atMs: timeMs)
    }

    private mutating func startTrendCheckpoint(atMs timeMs: Int64) {
        trendCheckpointMs = timeMs
        trendCheckpointLevel = level
        trendAdvanceSinceCheckpoint = 0
        adoptedSinceCheckpoint = 0
    }

    /// Keeps the level meaningful (needed by the trend and shift logic): the profile in use
    /// averages to zero and its mean is moved into the level, and the other profile is shifted
    /// by the same amount so that its predictions do not change either. Done once per hour of
    /// data (an O(192) pass), which is plenty for quantities that drift slowly.
    private mutating func recentre(weeklyOn: Bool, hour: Int) {
        // Also when the profile in use changes, so the level is re-anchored at the switch.
        guard hour != lastRecentredHour || weeklyOn != lastRecentredWeekly else { return }
        lastRecentredHour = hour
        lastRecentredWeekly = weeklyOn
        let mean: Double
        if weeklyOn {
            mean = weekly.values.reduce(0, +) / Double(weekly.slotCount)
        } else if historyMs >= Self.dayMs && daily.isComplete {
            mean = daily.values.reduce(0, +) / Double(daily.slotCount)
        } else {
            return
        }
        for slot in 0..<daily.slotCount { daily.values[slot] -= mean }
        for slot in 0..<weekly.slotCount { weekly.values[slot] -= mean }
        level += mean
    }

    private static func clip(_ value: Double, _ bound: Double) -> Double {
        min(max(value, -bound), bound)
    }

    /// An exponential-average rate per reference step, converted to `steps` steps.
    private static func rate(_ perStep: Double, _ steps: Double) -> Double {
        steps == 1 ? perStep : 1 - pow(1 - perStep, steps)
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
