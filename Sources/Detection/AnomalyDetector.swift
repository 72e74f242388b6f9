/// Flags values that leave a learned, seasonal baseline, without any operator-set threshold.
///
/// The baseline is level + trend + a seasonal profile (hourly slots, linearly interpolated;
/// daily at first, weekly once a week of history has been seen), learned with robust clipped
/// updates; the band is the baseline ± `sensitivity` robust scales. Contract:
/// - `.learning` (no judgement, `band(atMs:)` nil) until `minimumHistoryMs` of history has been
///   seen. Before a week of history only the daily pattern is known, so a first weekend that
///   differs from weekdays will be reported as anomalous.
/// - `observe` judges the value against the band from the model *before* it learns the value,
///   then learns it. A value outside the band breaches (edges are inside); firing follows the
///   `persistence`. While pending, the first value back inside the band clears; once firing, it
///   takes `persistence.consecutive` (at least 1) consecutive values inside the band to clear,
///   so a value hovering at the band's edge does not flap.
/// - Outliers move the baseline by a bounded amount per bucket, so spikes, dips and drifts are
///   not absorbed while they happen. Once the weekly profile is in use, a level shift that stays
///   on one side for `adoptShiftAfterMs` (default 6 h) becomes the new normal at once and the
///   alert clears; smaller persistent changes are absorbed gradually (level memory about 3.5
///   days, weekly slots about a week).
/// - Values at arbitrary spacing: they are averaged into `bucketMs` buckets before learning and
///   learning rates scale with elapsed time, so 10 s live data and 5-minute history train the
///   same model. A single raw value is judged with the bucket-level spread widened by the spread
///   of single values around their bucket mean.
/// - Non-finite values are ignored; values older than the bucket being filled are judged but not
///   learned.
/// - Cost: O(1) per value; closing a bucket adds a constant amount of work (an O(192)
///   recentring pass once per hour of data). Encoded state is about 6 KB of JSON and carries
///   `stateVersion`; decoding state of another version throws, so callers can discard it and
///   start learning afresh.
public struct AnomalyDetector: Sendable, Equatable, Codable {
    /// Version of the encoded model; bumped whenever the model's meaning changes.
    public static let stateVersion = 1

    /// Changing `bucketMs` folds the partially filled bucket into the model first.
    public var configuration: Configuration {
        didSet {
            if oldValue.bucketMs != configuration.bucketMs {
                model.flush(bucketMs: oldValue.bucketMs, adoptShiftAfterMs: oldValue.adoptShiftAfterMs)
            }
        }
    }
    private var model = AnomalyModel()
    private var tracker = BreachTracker()

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Validates the configuration, then creates the detector.
    public init(validating configuration: Configuration) throws {
        try configuration.validate()
        self.init(configuration: configuration)
    }

    /// Time between the first and the latest value learned.
    public var historyMs: Int64 { model.historyMs }

    /// Whether enough history has been seen to judge values.
    public var isReady: Bool { model.historyMs >= configuration.minimumHistoryMs && model.closedBuckets > 1 }

    /// The condition after the latest observed value.
    public var condition: DetectorCondition { isReady ? tracker.condition : .learning }

    /// Updates the model without judging; for warming up from stored history.
    public mutating func learn(_ point: SeriesPoint) {
        model.learn(point, bucketMs: configuration.bucketMs, adoptShiftAfterMs: configuration.adoptShiftAfterMs)
    }

    /// Judges the value against the current band, then learns it.
    public mutating func observe(_ point: SeriesPoint) -> DetectorEvaluation {
        let label = configuration.label
        guard point.value.isFinite else {
            return DetectorEvaluation(
                condition: condition, breachStartedMs: tracker.startedMs,
                summary: "\(label): ignored non-finite value")
        }
        guard isReady else {
            learn(point)
            tracker.clear()
            if isReady {
                return DetectorEvaluation(
                    condition: .normal, value: point.value,
                    summary: "\(label) \(ValueText.describe(point.value)): history complete, judging from the next value")
            }
            let have = DurationText.describe(ms: historyMs)
            let need = DurationText.describe(ms: configuration.minimumHistoryMs)
            return DetectorEvaluation(
                condition: .learning, value: point.value,
                summary: "not enough history yet (\(have) of \(need))")
        }

        let band = model.band(atMs: point.timeMs, sensitivity: configuration.sensitivity)
        let inside = band.contains(point.value)
        learn(point)
        if inside {
            tracker.recordQuiet(requiredToClear: max(1, configuration.persistence.consecutive))
        } else {
            _ = tracker.recordBreach(atMs: point.timeMs, persistence: configuration.persistence)
        }
        let valueText = ValueText.describe(point.value)
        let rangeText = ValueText.range(band.lower, band.upper)
        let summary = inside
            ? "\(label) \(valueText) within expected \(rangeText)"
            : "\(label) \(valueText) outside expected \(rangeText) (anomaly)"
        return DetectorEvaluation(
            condition: tracker.condition, value: point.value, band: band,
            breachStartedMs: tracker.startedMs, summary: summary)
    }

    /// The band the model would judge a value at `atMs` against, from its current state (trend
    /// extrapolated at most a day from the latest data); nil while learning.
    public func band(atMs timeMs: Int64) -> DetectorBand? {
        guard isReady else { return nil }
        return model.band(atMs: timeMs, sensitivity: configuration.sensitivity)
    }

    private enum CodingKeys: String, CodingKey {
        case version, configuration, model, tracker
    }

    /// Throws `DecodingError.dataCorrupted` when the state was written by another `stateVersion`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let version = try container.decode(Int.self, forKey: .version)
        guard version == Self.stateVersion else {
            throw DecodingError.dataCorruptedError(
                forKey: .version, in: container,
                debugDescription: "anomaly detector state version \(version) is not \(Self.stateVersion); discard it and relearn")
        }
        configuration = try container.decode(Configuration.self, forKey: .configuration)
        model = try container.decode(AnomalyModel.self, forKey: .model)
        guard model.hasExpectedShape else {
            throw DecodingError.dataCorruptedError(
                forKey: .model, in: container, debugDescription: "anomaly model has unexpected seasonal slot counts")
        }
        tracker = try container.decode(BreachTracker.self, forKey: .tracker)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.stateVersion, forKey: .version)
        try container.encode(configuration, forKey: .configuration)
        try container.encode(model, forKey: .model)
        try container.encode(tracker, forKey: .tracker)
    }
}
