/// Which side of a level is the problem.
public enum LevelDirection: String, Sendable, Equatable, Codable {
    /// Values above the level breach (for forecasts: crossing upwards).
    case above
    /// Values below the level breach (for forecasts: crossing downwards).
    case below
}
