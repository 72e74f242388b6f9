extension ThresholdDetector {
    /// Settings of a threshold detector.
    public struct Configuration: Sendable, Equatable, Codable {
        public var direction: LevelDirection
        public var level: Double
        /// The level a firing detector must return to before it clears; nil means `level`.
        /// For `.above` it must be <= `level`, for `.below` >= `level`.
        public var clearLevel: Double?
        public var persistence: Persistence
        /// Names the value in summaries, e.g. "load" gives "load 9.2 above 8 for 3 values".
        public var label: String

        public init(
            direction: LevelDirection = .above,
            level: Double,
            clearLevel: Double? = nil,
            persistence: Persistence = Persistence(),
            label: String = "value"
        ) {
            self.direction = direction
            self.level = level
            self.clearLevel = clearLevel
            self.persistence = persistence
            self.label = label
        }

        /// `clearLevel`, or `level` when it is not set.
        public var effectiveClearLevel: Double { clearLevel ?? level }

        /// Throws `DetectorConfigurationError` for non-finite levels, a clear level on the wrong
        /// side of the level, or an invalid persistence.
        public func validate() throws {
            guard level.isFinite else {
                throw DetectorConfigurationError("threshold level must be a finite number (got \(level))")
            }
            if let clearLevel {
                guard clearLevel.isFinite else {
                    throw DetectorConfigurationError("threshold clearLevel must be a finite number (got \(clearLevel))")
                }
                switch direction {
                case .above where clearLevel > level:
                    throw DetectorConfigurationError(
                        "threshold clearLevel \(clearLevel) must be <= level \(level) when direction is above")
                case .below where clearLevel < level:
                    throw DetectorConfigurationError(
                        "threshold clearLevel \(clearLevel) must be >= level \(level) when direction is below")
                default:
                    break
                }
            }
            try persistence.validate()
        }

        private enum CodingKeys: String, CodingKey {
            case direction, level, clearLevel, persistence, label
        }

        // Optional fields may be absent from stored configurations.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                direction: try container.decodeIfPresent(LevelDirection.self, forKey: .direction) ?? .above,
                level: try container.decode(Double.self, forKey: .level),
                clearLevel: try container.decodeIfPresent(Double.self, forKey: .clearLevel),
                persistence: try container.decodeIfPresent(Persistence.self, forKey: .persistence) ?? Persistence(),
                label: try container.decodeIfPresent(String.self, forKey: .label) ?? "value"
            )
        }
    }
}
