/// When a breach must persist before a detector fires: N consecutive breaching values, or a duration,
/// whichever is reached first; both nil/0 means fire on the first breaching value.
///
/// - `consecutive`: number of consecutive breaching values; `0` disables the count condition.
///   `1` (the default) fires on the first breaching value, which makes `durationMs` irrelevant.
/// - `durationMs`: time from the first breaching value of the current breach to the latest one;
///   `nil` disables the duration condition, `0` fires on the first breaching value.
public struct Persistence: Sendable, Equatable, Codable {
    public var consecutive: Int
    public var durationMs: Int64?

    public init(consecutive: Int = 1, durationMs: Int64? = nil) {
        self.consecutive = consecutive
        self.durationMs = durationMs
    }

    /// Fire on the first breaching value.
    public static let immediate = Persistence()

    /// Whether a breach that has lasted `count` values and `elapsedMs` is long enough to fire.
    public func isSatisfied(count: Int, elapsedMs: Int64) -> Bool {
        let countEnabled = consecutive > 0
        if !countEnabled && durationMs == nil { return count >= 1 }
        if countEnabled && count >= consecutive { return true }
        if let durationMs, elapsedMs >= durationMs { return true }
        return false
    }

    /// Throws when the count or the duration is negative.
    public func validate() throws {
        if consecutive < 0 {
            throw DetectorConfigurationError("persistence.consecutive must be >= 0 (got \(consecutive))")
        }
        if let durationMs, durationMs < 0 {
            throw DetectorConfigurationError("persistence.durationMs must be >= 0 (got \(durationMs))")
        }
    }

    private enum CodingKeys: String, CodingKey { case consecutive, durationMs }

    // Either field may be absent from stored configurations.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            consecutive: try container.decodeIfPresent(Int.self, forKey: .consecutive) ?? 1,
            durationMs: try container.decodeIfPresent(Int64.self, forKey: .durationMs)
        )
    }
}
