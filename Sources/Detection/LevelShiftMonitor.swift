/// Watches bucket residuals for a sustained one-sided departure and, once it has lasted long
/// enough, hands back its size so the baseline can adopt the new level in one step.
///
/// Robust (clipped) updates deliberately move the baseline only a little per bucket so anomalies
/// cannot drag it; without this monitor a large permanent step would take days to be absorbed.
/// A run starts with a residual beyond `triggerScales` robust scales, continues while most
/// residuals stay beyond it on the same side (occasional misses are tolerated through a decaying
/// miss rate) and ends when misses dominate. Spikes and dips end their run within a few buckets.
struct LevelShiftMonitor: Sendable, Equatable, Codable {
    static let triggerScales = 2.0
    static let missDecay = 0.9
    static let maximumMissRate = 0.3
    /// How far (in robust scales) one residual may pull the size estimate.
    static let locationClipScales = 3.0

    /// +1 for a run above the baseline, -1 below, 0 when no run is in progress.
    var direction: Int = 0
    var startedMs: Int64 = 0
    /// Robust running estimate of the residual during the run.
    var location: Double = 0
    var residuals: Int = 0
    var missRate: Double = 0

    /// Feeds one bucket residual; returns the shift to adopt when a run has lasted `adoptAfterMs`.
    mutating func observe(residual: Double, scale: Double, atMs timeMs: Int64, adoptAfterMs: Int64) -> Double? {
        guard scale > 0, residual.isFinite else { return nil }
        let trigger = Self.triggerScales * scale
        let side = residual > trigger ? 1 : (residual < -trigger ? -1 : 0)
        if direction == 0 {
            if side != 0 {
                self = LevelShiftMonitor(direction: side, startedMs: timeMs, location: residual, residuals: 1)
            }
            return nil
        }
        residuals += 1
        // Running mean at first, then a clipped exponential average, so one wild value early in
        // a run cannot dominate and a wild value later moves the estimate by a bounded amount.
        let rate = max(0.1, 1 / Double(residuals))
        let clip = Self.locationClipScales * scale
        location += rate * min(max(residual - location, -clip), clip)
        if side == direction {
            missRate *= Self.missDecay
        } else {
            missRate = missRate * Self.missDecay + (1 - Self.missDecay)
            if missRate > Self.maximumMissRate {
                self = LevelShiftMonitor()
                return nil
            }
        }
        if timeMs - startedMs >= adoptAfterMs {
            let shift = location
            self = LevelShiftMonitor()
            return shift
        }
        return nil
    }
}
