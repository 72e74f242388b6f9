/// Human-readable durations for summaries: the two most significant units, e.g. "2d 3h", "5m 12s".
public enum DurationText {
    private static let units: [(name: String, seconds: Int64)] = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]

    /// Formats a duration given in milliseconds. Sub-second durations are shown in milliseconds;
    /// otherwise the value is truncated to whole seconds and at most two units are shown, with a
    /// zero second unit omitted ("5m", not "5m 0s"). Negative durations get a leading "-".
    public static func describe(ms: Int64) -> String {
        if ms < 0 {
            // Int64.min has no positive counterpart; one millisecond does not matter in a sentence.
            return "-" + describe(ms: ms == Int64.min ? Int64.max : -ms)
        }
        if ms < 1000 { return "\(ms)ms" }
        let total = ms / 1000
        for (index, unit) in units.enumerated() where total >= unit.seconds {
            let major = total / unit.seconds
            guard index + 1 < units.count else { return "\(major)\(unit.name)" }
            let next = units[index + 1]
            let minor = (total % unit.seconds) / next.seconds
            return minor == 0 ? "\(major)\(unit.name)" : "\(major)\(unit.name) \(minor)\(next.name)"
        }
        return "0s"
    }
}
