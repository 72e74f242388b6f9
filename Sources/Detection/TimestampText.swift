import NoitCore

/// ISO 8601 UTC timestamps ("2026-11-24T10:00:00Z") computed arithmetically, so formatting needs no
/// calendar, locale or Foundation formatter and is identical on every platform.
public enum TimestampText {
    /// Formats milliseconds since the epoch to whole-second precision, truncating towards the past.
    public static func describe(ms: Int64) -> String {
        let seconds = floorDiv(ms, 1000)
        let days = floorDiv(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = CivilDate.from(daysSinceEpoch: days)
        guard (0...9999).contains(year) else {
            // Outside four-digit years the fixed layout below does not apply; this is rare enough
            // for plain interpolation.
            return "\(year)-\(month)-\(day)T\(secondOfDay / 3600):\((secondOfDay % 3600) / 60):\(secondOfDay % 60)Z"
        }
        // Fixed layout written digit by digit: summaries are built for every value, and this is
        // several times cheaper than interpolating padded strings.
        var bytes: [UInt8] = Array("0000-00-00T00:00:00Z".utf8)
        func put(_ value: Int64, at end: Int, digits: Int) {
            var rest = value
            for offset in 0..<digits {
                bytes[end - offset] = UInt8(truncatingIfNeeded: 48 + rest % 10)
                rest /= 10
            }
        }
        put(year, at: 3, digits: 4)
        put(month, at: 6, digits: 2)
        put(day, at: 9, digits: 2)
        put(secondOfDay / 3600, at: 12, digits: 2)
        put((secondOfDay % 3600) / 60, at: 15, digits: 2)
        put(secondOfDay % 60, at: 18, digits: 2)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
