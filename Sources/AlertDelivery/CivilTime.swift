import NoitCore

/// Proleptic Gregorian calendar arithmetic in UTC (Howard Hinnant's `days_from_civil`; the
/// inverse is NoitCore's `CivilDate`). Done by hand so timestamps do not depend on the host's locale, time zone
/// or Foundation's formatter behaviour on Linux.
struct CivilTime: Sendable, Equatable {
    var year: Int64
    var month: Int  // 1...12
    var day: Int  // 1...31
    var hour: Int
    var minute: Int
    var second: Int
    var millisecond: Int

    static let millisecondsPerDay: Int64 = 86_400_000

    init(year: Int64, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, millisecond: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.millisecond = millisecond
    }

    init(epochMilliseconds: Int64) {
        // Floor division so instants before 1970 land on the right day.
        var days = epochMilliseconds / Self.millisecondsPerDay
        var rest = epochMilliseconds % Self.millisecondsPerDay
        if rest < 0 {
            rest += Self.millisecondsPerDay
            days -= 1
        }
        let date = CivilDate.from(daysSinceEpoch: days)
        self.year = date.year
        self.month = Int(date.month)
        self.day = Int(date.day)
        let ms = Int(rest)
        self.hour = ms / 3_600_000
        self.minute = ms / 60_000 % 60
        self.second = ms / 1_000 % 60
        self.millisecond = ms % 1_000
    }

    /// Days since 1970-01-01 for a valid date.
    static func daysSinceEpoch(year: Int64, month: Int, day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func daysInMonth(year: Int64, month: Int) -> Int {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `nil` when a field is out of range (including 31 April and a leap second, which HTTP dates never carry).
    var epochMilliseconds: Int64? {
        guard (1...12).contains(month), (1...Self.daysInMonth(year: year, month: month)).contains(day),
            (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second),
            (0...999).contains(millisecond), (-100_000...100_000).contains(year)
        else { return nil }
        let days = Self.daysSinceEpoch(year: year, month: month, day: day)
        let msOfDay = Int64(((hour * 60 + minute) * 60 + second) * 1_000 + millisecond)
        return days * Self.millisecondsPerDay + msOfDay
    }
}
