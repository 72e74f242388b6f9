/// Parses the three HTTP-date forms of RFC 9110 §5.6.7 into epoch milliseconds:
/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the obsolete RFC 850 form
/// (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`).
/// Recipients must accept all three, and a hand-written parser avoids locale-dependent formatters.
enum HTTPDate {
    static func epochMilliseconds(from text: String) -> Int64? {
        let trimmed = text.trimmingASCIIWhitespace()
        return parseIMFFixdate(trimmed) ?? parseRFC850(trimmed) ?? parseAsctime(trimmed)
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let shortDays: Set<String> = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    private static let longDays: Set<String> = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    private static func month(_ name: Substring) -> Int? {
        months.firstIndex(of: name.lowercased()).map { $0 + 1 }
    }

    private static func number(_ text: Substring, digits: ClosedRange<Int>) -> Int? {
        guard digits.contains(text.count), text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int(text)
    }

    private static func time(_ text: Substring) -> (Int, Int, Int)? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let h = number(parts[0], digits: 2...2), let m = number(parts[1], digits: 2...2),
            let s = number(parts[2], digits: 2...2)
        else { return nil }
        return (h, m, s)
    }

    private static func make(year: Int, month: Int, day: Int, time: (Int, Int, Int)) -> Int64? {
        CivilTime(year: Int64(year), month: month, day: day, hour: time.0, minute: time.1, second: time.2)
            .epochMilliseconds
    }

    private static func parseIMFFixdate(_ text: String) -> Int64? {
        let fields = text.split(separator: " ")
        guard fields.count == 6, fields[0].hasSuffix(","), shortDays.contains(fields[0].dropLast().lowercased()),
            let day = number(fields[1], digits: 2...2), let month = month(fields[2]),
            let year = number(fields[3], digits: 4...4), let time = time(fields[4]), fields[5] == "GMT"
        else { return nil }
        return make(year: year, month: month, day: day, time: time)
    }

    private static func parseRFC850(_ text: String) -> Int64? {
        let fields = text.split(separator: " ")
        guard fields.count == 4, fields[0].hasSuffix(","), longDays.contains(fields[0].dropLast().lowercased()),
            fields[3] == "GMT", let time = time(fields[2])
        else { return nil }
        let date = fields[1].split(separator: "-", omittingEmptySubsequences: false)
        guard date.count == 3, let day = number(date[0], digits: 2...2), let month = month(date[1]),
            let twoDigitYear = number(date[2], digits: 2...2)
        else { return nil }
        // RFC 9110: a two-digit year more than 50 years in the future means the previous century.
        // Without a clock here, pivot at 70 like most implementations (Retry-After dates are near `now`).
        let year = twoDigitYear >= 70 ? 1900 + twoDigitYear : 2000 + twoDigitYear
        return make(year: year, month: month, day: day, time: time)
    }

    private static func parseAsctime(_ text: String) -> Int64? {
        // The day is space-padded ("Nov  6"), so empty fields from the double space are dropped.
        let fields = text.split(separator: " ")
        guard fields.count == 5, shortDays.contains(fields[0].lowercased()), let month = month(fields[1]),
            let day = number(fields[2], digits: 1...2), let time = time(fields[3]),
            let year = number(fields[4], digits: 4...4)
        else { return nil }
        return make(year: year, month: month, day: day, time: time)
    }
}
