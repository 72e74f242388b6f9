extension AnomalyDetector {
    /// Settings of an anomaly detector. Every field has a default that needs no knowledge of the
    /// series; none of them is a threshold on the values.
    public struct Configuration: Sendable, Equatable, Codable {
        /// Band half-width in robust scale units (Gaussian-equivalent standard deviations of a
        /// single value around the baseline). Larger means fewer, surer alerts.
        public var sensitivity: Double
        /// How long a value must stay outside the band before the detector fires.
        public var persistence: Persistence
        /// History needed before any judgement; `.learning` until then. Less than a day means
        /// judging before the daily pattern has been seen once.
        public var minimumHistoryMs: Int64
        /// Width of the buckets values are averaged into before the model learns from them.
        public var bucketMs: Int64
        /// A sustained one-sided departure from the baseline that lasts this long is adopted as
        /// the new normal level.
        public var adoptShiftAfterMs: Int64
        /// Names the value in summaries.
        public var label: String

        public static let defaultSensitivity = 3.5
        public static let defaultPersistence = Persistence(consecutive: 3)
        public static let defaultMinimumHistoryMs: Int64 = 86_400_000
        public static let defaultBucketMs: Int64 = 300_000
        public static let defaultAdoptShiftAfterMs: Int64 = 6 * 3_600_000

        public init(
            sensitivity: Double = Configuration.defaultSensitivity,
            persistence: Persistence = Configuration.defaultPersistence,
            minimumHistoryMs: Int64 = Configuration.defaultMinimumHistoryMs,
            bucketMs: Int64 = Configuration.defaultBucketMs,
            adoptShiftAfterMs: Int64 = Configuration.defaultAdoptShiftAfterMs,
            label: String = "value"
        ) {
            self.sensitivity = sensitivity
            self.persistence = persistence
            self.minimumHistoryMs = minimumHistoryMs
            self.bucketMs = bucketMs
            self.adoptShiftAfterMs = adoptShiftAfterMs
            self.label = label
        }

        /// Throws for a sensitivity that is not a positive finite number, a negative minimum
        /// history, a bucket outside 1 s…1 h (the seasonal slots are hourly), a non-positive shift
        /// adoption time, or an invalid persistence.
        public func validate() throws {
            guard sensitivity.isFinite, sensitivity > 0 else {
                throw DetectorConfigurationError("anomaly sensitivity must be a finite number > 0 (got \(sensitivity))")
            }
            if minimumHistoryMs < 0 {
                throw DetectorConfigurationError("anomaly minimumHistoryMs must be >= 0 (got \(minimumHistoryMs))")
            }
            if bucketMs < 1_000 || bucketMs > 3_600_000 {
                throw DetectorConfigurationError(
                    "anomaly bucketMs must be between 1000 (1s) and 3600000 (1h) (got \(bucketMs))")
            }
            if adoptShiftAfterMs <= 0 {
                throw DetectorConfigurationError("anomaly adoptShiftAfterMs must be > 0 (got \(adoptShiftAfterMs))")
            }
            try persistence.validate()
        }

        private enum CodingKeys: String, CodingKey {
            case sensitivity, persistence, minimumHistoryMs, bucketMs, adoptShiftAfterMs, label
        }

        // Every field may be absent from stored configurations.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                sensitivity: try c.decodeIfPresent(Double.self, forKey: .sensitivity) ?? Self.defaultSensitivity,
                persistence: try c.decodeIfPresent(Persistence.self, forKey: .persistence) ?? Self.defaultPersistence,
                minimumHistoryMs: try c.decodeIfPresent(Int64.self, forKey: .minimumHistoryMs) ?? Self.defaultMinimumHistoryMs,
                bucketMs: try c.decodeIfPresent(Int64.self, forKey: .bucketMs) ?? Self.defaultBucketMs,
                adoptShiftAfterMs: try c.decodeIfPresent(Int64.self, forKey: .adoptShiftAfterMs) ?? Self.defaultAdoptShiftAfterMs,
                label: try c.decodeIfPresent(String.self, forKey: .label) ?? "value"
            )
        }
    }
}
