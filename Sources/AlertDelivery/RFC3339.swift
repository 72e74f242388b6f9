/// RFC 3339 timestamps in UTC with millisecond precision, e.g. `2024-05-01T12:34:56.789Z`:
/// the form PagerDuty, Alertmanager and most webhook receivers parse without surprises.
public enum RFC3339 {
    public static func string(fromEpochMilliseconds ms: Int64) -> String {
        let t = CivilTime(epochMilliseconds: ms)
        // Years outside 0...9999 cannot be written in RFC 3339; clamp rather than emit something unparsable.
        let year = min(max(t.year, 0), 9_999)
        return "\(pad(Int(year), 4))-\(pad(t.month, 2))-\(pad(t.day, 2))T"
            + "\(pad(t.hour, 2)):\(pad(t.minute, 2)):\(pad(t.second, 2)).\(pad(t.millisecond, 3))Z"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
