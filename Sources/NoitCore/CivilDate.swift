/// Proleptic Gregorian calendar dates from day counts (Howard Hinnant's days_from_civil,
/// inverted), without Foundation's calendars: exact for any day, and cheap enough to run for
/// every timestamp a large answer prints.
public enum CivilDate {
    /// Year, month (1–12) and day (1–31) of the day `days` after 1970-01-01 (negative before).
    /// Years before 1 AD come out as 0, -1, ... (astronomical numbering).
    public static func from(daysSinceEpoch days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
