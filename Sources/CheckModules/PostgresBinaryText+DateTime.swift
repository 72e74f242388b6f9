import NoitCore
import NIOCore

/// Dates and times in PostgreSQL's ISO output style. The binary forms count days or
/// microseconds from 2000-01-01 on the proleptic Gregorian calendar, which is what PostgreSQL
/// prints too (Foundation's calendars switch to Julian before 1582, so they are not used).
extension PostgresBinaryText {
    private static let microsecondsPerDay: Int64 = 86_400_000_000
    /// 1970-01-01 to 2000-01-01.
    private static let epochShiftDays: Int64 = 10_957

    static func dateText(_ days: Int32) -> String {
        if days == .max { return "infinity" }
        if days == .min { return "-infinity" }
        let (date, beforeChrist) = civilDate(daysSince2000: Int64(days))
        return date + (beforeChrist ? " BC" : "")
    }

    static func timestampText(_ microseconds: Int64, withZone: Bool) -> String? {
        if microseconds == .max { return "infinity" }
        if microseconds == .min { return "-infinity" }
        let (days, timeOfDay) = floorDivision(microseconds, microsecondsPerDay)
        let (date, beforeChrist) = civilDate(daysSince2000: days)
        guard let time = timeText(timeOfDay) else { return nil }
        return date + " " + time + (withZone ? "+00" : "") + (beforeChrist ? " BC" : "")
    }

    /// `HH:MM:SS` with the fraction's trailing zeros dropped; 24:00:00 is a valid `time`.
    static func timeText(_ microseconds: Int64) -> String? {
        guard (0...microsecondsPerDay).contains(microseconds) else { return nil }
        let seconds = microseconds / 1_000_000
        return twoDigits(seconds / 3_600) + ":" + twoDigits(seconds / 60 % 60) + ":" + twoDigits(seconds % 60)
            + fractionText(microseconds % 1_000_000)
    }

    /// A `timetz`: the time, then the zone's offset east of UTC (the wire counts seconds west).
    static func timeWithZoneText(_ bytes: ByteBuffer) -> String? {
        var buffer = bytes
        guard buffer.readableBytes == 12,
            let (microseconds, secondsWest) = buffer.readMultipleIntegers(endianness: .big, as: (Int64, Int32).self),
            let time = timeText(microseconds),
            abs(Int64(secondsWest)) < 86_400
        else { return nil }
        let east = -Int64(secondsWest)
        let magnitude = abs(east)
        var zone = (east < 0 ? "-" : "+") + twoDigits(magnitude / 3_600)
        if magnitude % 3_600 != 0 { zone += ":" + twoDigits(magnitude / 60 % 60) }
        if magnitude % 60 != 0 { zone += ":" + twoDigits(magnitude % 60) }
        return time + zone
    }

    /// An `interval` in the `postgres` IntervalStyle: "1 year 2 mons -3 days +04:05:06.5".
    static func intervalText(_ bytes: ByteBuffer) -> String? {
        var buffer = bytes
        guard buffer.readableBytes == 16,
            let (microseconds, days, months) = buffer.readMultipleIntegers(endianness: .big, as: (Int64, Int32, Int32).self)
        else { return nil }
        var text = ""
        var isZero = true
        var isBefore = false
        func addPart(_ value: Int64, _ unit: String) {
            guard value != 0 else { return }
            text += (isZero ? "" : " ") + (isBefore && value > 0 ? "+" : "") + "\(value) \(unit)" + (value != 1 ? "s" : "")
            isBefore = value < 0
            isZero = false
        }
        addPart(Int64(months / 12), "year")
        addPart(Int64(months % 12), "mon")
        addPart(Int64(days), "day")
        if isZero || microseconds != 0 {
            // Swift's division truncates toward zero, as C's does in PostgreSQL, so every part of
            // a negative time shares its sign.
            let hours = microseconds / 3_600_000_000
            let minutes = microseconds / 60_000_000 % 60
            let seconds = microseconds / 1_000_000 % 60
            let fraction = microseconds % 1_000_000
            let sign = microseconds < 0 ? "-" : (isBefore ? "+" : "")
            text += (isZero ? "" : " ") + sign + twoDigits(hours.magnitude) + ":" + twoDigits(minutes.magnitude)
                + ":" + twoDigits(seconds.magnitude) + fractionText(Int64(fraction.magnitude))
        }
        return text
    }

    /// Year-month-day for a day count, with the year as PostgreSQL prints it: four digits at
    /// least, and years up to 1 BC counted backwards with a " BC" suffix (there is no year 0).
    static func civilDate(daysSince2000 days: Int64) -> (text: String, beforeChrist: Bool) {
        let (year, month, day) = CivilDate.from(daysSinceEpoch: days + epochShiftDays)
        let beforeChrist = year <= 0
        let shownYear = beforeChrist ? 1 - year : year
        let yearText = String(shownYear)
        let paddedYear = String(repeating: "0", count: max(0, 4 - yearText.count)) + yearText
        return (paddedYear + "-" + twoDigits(month) + "-" + twoDigits(day), beforeChrist)
    }

    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let remainder = value % divisor
        return remainder < 0 ? (value / divisor - 1, remainder + divisor) : (value / divisor, remainder)
    }

    private static func twoDigits(_ value: some BinaryInteger) -> String {
        let text = String(value)
        return text.count < 2 ? "0" + text : text
    }

    /// ".123456" with trailing zeros dropped, or nothing for a whole second.
    private static func fractionText(_ microseconds: Int64) -> String {
        guard microseconds != 0 else { return "" }
        var digits = String(microseconds)
        digits = String(repeating: "0", count: 6 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "." + digits
    }
}
