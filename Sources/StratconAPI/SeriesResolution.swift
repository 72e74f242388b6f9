/// Where series points come from: the raw archive or one of the rollups, and the width of
/// the buckets the response is aggregated into.
public enum SeriesResolution: String, Sendable, CaseIterable {
    case raw
    case fiveMinutes = "5m"
    case hour = "1h"
    case day = "1d"

    /// The rollup's bucket width; 0 for raw data.
    var seconds: Int64 {
        switch self {
        case .raw: 0
        case .fiveMinutes: 300
        case .hour: 3600
        case .day: 86_400
        }
    }

    /// The coarsest source whose rows are no wider than the wanted step, and a step that is a
    /// whole number of its rows. Buckets are aligned to the epoch, so a range usually touches
    /// one more bucket than it spans: the wanted step is range / (points − 1), which keeps
    /// the answer at `points` rows or fewer.
    public static func choose(rangeSeconds: Double, points: Int) -> (resolution: SeriesResolution, stepSeconds: Int64) {
        let wanted = max(1, Int64((rangeSeconds / Double(max(points - 1, 1))).rounded(.up)))
        let resolution = [SeriesResolution.day, .hour, .fiveMinutes].first { wanted >= $0.seconds } ?? .raw
        guard resolution != .raw else { return (.raw, wanted) }
        let rows = (wanted + resolution.seconds - 1) / resolution.seconds
        return (resolution, rows * resolution.seconds)
    }
}

/// What the series values are: the stored values, their rate of change per second, or the
/// rate of a counter that ignores resets (a negative step is a reset, not a rate).
public enum SeriesTransform: String, Sendable, CaseIterable {
    case none, derive, counter
}
