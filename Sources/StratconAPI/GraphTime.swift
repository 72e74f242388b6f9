import Foundation

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
        let days = milliseconds >= 0 ? milliseconds / 86_400_000 : (milliseconds - 86_399_999) / 86_400_000
        let withinDay = milliseconds - days * 86_400_000
        let (year, month, day) = civil(fromDays: days)
        let hour = withinDay / 3_600_000, minute = withinDay / 60_000 % 60, second = withinDay / 1000 % 60
        let millis = withinDay % 1000
        func pad(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)).\(pad(millis, 3))Z"
    }

    static func format(_ date: Date) -> String {
        format(milliseconds: Int64((date.timeIntervalSince1970 * 1000).rounded(.down)))
    }

    /// Howard Hinnant's days-from-civil inverse: proleptic Gregorian date of a day number.
    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPart = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPart + 2) / 5 + 1
        let month = monthPart < 10 ? monthPart + 3 : monthPart - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
