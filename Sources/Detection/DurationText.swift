/// Human-readable durations for summaries: the two most significant units, e.g. "2d 3h", "5m 12s".
public enum DurationText {
    /// Formats a duration given in milliseconds. Sub-second durations are shown in milliseconds;
    /// otherwise the value is truncated to whole seconds and at most two units are shown, with a
    /// zero second unit omitted ("5m", not "5m 0s"). Negative durations get a leading "-".
    public static func describe(ms: Int64) -> String {
        if ms < 0 {
            // Int64.min has no positive counterpart; one millisecond does not matter in a sentence.
            return "-" + describe(ms: ms == Int64.min ? Int64.max : -ms)
        }
        if ms < 1000 { return "\(ms)ms" }
        let units: [(String, Int64)] = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]
        var remaining = ms / 1000
        var parts: [String] = []
        for (name, size) in units {
            let amount = remaining / size
            remaining %= size
            if amount > 0 || !parts.isEmpty {
                parts.append("\(amount)\(name)")
            }
            if parts.count == 2 { break }
        }
        if parts.count == 2, parts[1].hasPrefix("0") { parts.removeLast() }
        return parts.joined(separator: " ")
    }
}
