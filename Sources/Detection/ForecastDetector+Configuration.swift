extension ForecastDetector {
    /// Settings of a forecast detector.
    public struct Configuration: Sendable, Equatable, Codable {
        /// The level whose crossing is predicted.
        public var level: Double
        /// `.above`: crossing upwards; `.below`: crossing downwards.
        public var direction: LevelDirection
        /// Fire when the crossing is predicted within this long after the latest point.
        public var horizonMs: Int64
        /// How far back the least-squares fit looks.
        public var windowMs: Int64
        public var persistence: Persistence
        /// Names the value in summaries.
        public var label: String

        public init(
            level: Double,
            direction: LevelDirection = .above,
            horizonMs: Int64,
            windowMs: Int64,
            persistence: Persistence = Persistence(),
            label: String = "value"
        ) {
            self.level = level
            self.direction = direction
            self.horizonMs = horizonMs
            self.windowMs = windowMs
            self.persistence = persistence
            self.label = label
        }

        /// Throws for a non-finite level, a non-positive horizon or window, a window too short to
        /// hold its buckets (under 240 ms), or an invalid persistence.
        public func validate() throws {
            guard level.isFinite else {
                throw DetectorConfigurationError("forecast level must be a finite number (got \(level))")
            }
            if horizonMs <= 0 {
                throw DetectorConfigurationError("forecast horizonMs must be > 0 (got \(horizonMs))")
            }
            if windowMs < Int64(ForecastDetector.maximumBuckets) {
                throw DetectorConfigurationError(
                    "forecast windowMs must be at least \(ForecastDetector.maximumBuckets) ms (got \(windowMs))")
            }
            try persistence.validate()
        }

        private enum CodingKeys: String, CodingKey {
            case level, direction, horizonMs, windowMs, persistence, label
        }

        // Optional fields may be absent from stored configurations.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                level: try container.decode(Double.self, forKey: .level),
                direction: try container.decodeIfPresent(LevelDirection.self, forKey: .direction) ?? .above,
                horizonMs: try container.decode(Int64.self, forKey: .horizonMs),
                windowMs: try container.decode(Int64.self, forKey: .windowMs),
                persistence: try container.decodeIfPresent(Persistence.self, forKey: .persistence) ?? Persistence(),
                label: try container.decodeIfPresent(String.self, forKey: .label) ?? "value"
            )
        }
    }
}
