import Foundation

/// A straight line through time, for drawing a fitted trend: `value(atMs:)` is
/// `intercept + slopePerMs * (t - anchorMs)`.
public struct TrendLine: Sendable, Equatable, Codable {
    /// The time the intercept refers to (the forecast detector uses its latest point's time).
    public var anchorMs: Int64
    /// The line's value at `anchorMs`.
    public var intercept: Double
    /// Change in value per millisecond.
    public var slopePerMs: Double

    public init(anchorMs: Int64, intercept: Double, slopePerMs: Double) {
        self.anchorMs = anchorMs
        self.intercept = intercept
        self.slopePerMs = slopePerMs
    }

    public func value(atMs timeMs: Int64) -> Double {
        intercept + slopePerMs * Double(timeMs &- anchorMs)
    }

    /// When the line reaches `level` at or after `fromMs`, or nil if it never does (flat or moving
    /// away) or only after an unrepresentably long time. If the line is already at or past the
    /// level at `fromMs` in the given direction, returns `fromMs`.
    public func crossing(of level: Double, direction: LevelDirection, fromMs: Int64) -> Int64? {
        let now = value(atMs: fromMs)
        let past = direction == .above ? now >= level : now <= level
        if past { return fromMs }
        let towards = direction == .above ? slopePerMs > 0 : slopePerMs < 0
        guard towards else { return nil }
        let delta = (level - now) / slopePerMs
        // About 30,000 years: beyond that a "prediction" means nothing and Int64 arithmetic gets risky.
        guard delta.isFinite, delta >= 0, delta < 1e15 else { return nil }
        return fromMs &+ Int64(delta.rounded(.up))
    }
}
