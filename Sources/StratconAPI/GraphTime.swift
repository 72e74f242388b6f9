import Foundation
import NoitCore

/// The time expressions the graph API accepts for `start` and `end`: epoch seconds
/// (`1700000000`, `1700000000.5`), RFC 3339 (`2026-11-21T08:00:00Z`), `now`, or an offset
/// from now (`-6h`, `-30m`, `-7d`, `-2w`, `-90s`).
enum GraphTime {
    static func parse(_ text: String, now: Date) -> Date? {
        if text == "now" { return now }
        if let offset = relativeSeconds(text) { return now.addingTimeInterval(offset) }
        if let seconds = Double(text), seconds.isFinite, text.first?.isNumber == true {
            return Date(timeIntervalSince1970: seconds)
        }
        return rfc3339(text)
    }

    private static func relativeSeconds(_ text: String) -> Double? {
        guard text.hasPrefix("-") || text.hasPrefix("+"), let unit = text.last, text.count >= 3 else { return nil }
        let magnitudeText = text.dropFirst().dropLast()
        guard magnitudeText.allSatisfy(\.isNumber), let magnitude = Double(magnitudeText) else { return nil }
        let unitSeconds: Double
        switch unit {
        case "s": unitSeconds = 1
        case "m": unitSeconds = 60
        case "h": unitSeconds = 3600
        case "d": unitSeconds = 86_400
        case "w": unitSeconds = 604_800
        default: return nil
        }
        return (text.hasPrefix("-") ? -1 : 1) * magnitude * unitSeconds
    }

    private static func rfc3339(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    /// RFC 3339 in UTC with milliseconds, the form every API time is written in.
    static func format(milliseconds: Int64) -> String {
        withRFC3339(milliseconds: milliseconds) { String(decoding: $0, as: UTF8.self) }
    }

    /// Hands `body` the 24 bytes of `YYYY-MM-DDTHH:MM:SS.mmmZ`, built without allocating:
    /// a list of 10,000 checks writes three times each.
    static func withRFC3339<Result>(milliseconds: Int64, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        let days = milliseconds >= 0 ? milliseconds / 86_400_000 : (milliseconds - 86_399_999) / 86_400_000
        let withinDay = milliseconds - days * 86_400_000
        let (year, month, day) = CivilDate.from(daysSinceEpoch: days)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { bytes in
            func put(_ value: Int64, at offset: Int, digits: Int) {
                var remaining = value
                for position in stride(from: offset + digits - 1, through: offset, by: -1) {
                    bytes[position] = 0x30 + UInt8(remaining % 10)
                    remaining /= 10
                }
            }
            put(min(max(year, 0), 9999), at: 0, digits: 4)
            bytes[4] = UInt8(ascii: "-")
            put(month, at: 5, digits: 2)
            bytes[7] = UInt8(ascii: "-")
            put(day, at: 8, digits: 2)
            bytes[10] = UInt8(ascii: "T")
            put(withinDay / 3_600_000, at: 11, digits: 2)
            bytes[13] = UInt8(ascii: ":")
            put(withinDay / 60_000 % 60, at: 14, digits: 2)
            bytes[16] = UInt8(ascii: ":")
            put(withinDay / 1000 % 60, at: 17, digits: 2)
            bytes[19] = UInt8(ascii: ".")
            put(withinDay % 1000, at: 20, digits: 3)
            bytes[23] = UInt8(ascii: "Z")
            return body(UnsafeRawBufferPointer(bytes))
        }
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }

    static func format(_ date: Date) -> String {
        format(milliseconds: milliseconds(date))
    }
}
