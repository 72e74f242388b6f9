import NIOCore
import NoitCore

/// Writes timestamps as COPY text PostgreSQL reads as `timestamptz` (`2026-11-22 10:15:30.250+00`),
/// millisecond precision, the same instant as `to_timestamp(ms / 1000.0)`.
///
/// A batch holds runs of many checks within the same few seconds, so the date and time of
/// the last second written are kept and only the milliseconds change between most rows.
struct CopyTimestampWriter {
    private var cachedSecond: Int64?
    private var cachedPrefix: [UInt8] = []

    mutating func write(millisecondsSinceEpoch ms: Int64, into buffer: inout ByteBuffer) {
        let second = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000)
        let millisecond = Int(ms - second * 1000)
        if cachedSecond != second {
            cachedSecond = second
            cachedPrefix = Self.prefix(second: second)
        }
        buffer.writeBytes(cachedPrefix)
        buffer.writeMultipleIntegers(
            UInt8(ascii: "0") + UInt8(millisecond / 100), UInt8(ascii: "0") + UInt8(millisecond / 10 % 10),
            UInt8(ascii: "0") + UInt8(millisecond % 10), UInt8(ascii: "+"), UInt8(ascii: "0"), UInt8(ascii: "0"))
    }

    /// `YYYY-MM-DD HH:MM:SS.` for a second since the epoch (years 1–9999; others are not
    /// times a check runs at, and PostgreSQL would refuse the row rather than misfile it).
    private static func prefix(second: Int64) -> [UInt8] {
        let day = second >= 0 ? second / 86_400 : -((-second + 86_399) / 86_400)
        let secondOfDay = Int(second - day * 86_400)
        let (year, month, dayOfMonth) = CivilDate.from(daysSinceEpoch: day)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
        }
        digits(Int(year), 4)
        bytes.append(UInt8(ascii: "-"))
        digits(Int(month), 2)
        bytes.append(UInt8(ascii: "-"))
        digits(Int(dayOfMonth), 2)
        bytes.append(UInt8(ascii: " "))
        digits(secondOfDay / 3600, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(secondOfDay / 60 % 60, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(secondOfDay % 60, 2)
        bytes.append(UInt8(ascii: "."))
        return bytes
    }
}
