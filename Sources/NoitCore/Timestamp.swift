/// A point in wall-clock time with millisecond resolution, the unit of every record and plan.
///
/// Wall-clock milliseconds (not a monotonic instant) because runs are aligned to the epoch:
/// a check with period P runs at times congruent to its phase modulo P, on every node alike.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var millisecondsSinceEpoch: Int64

    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    public static func + (lhs: Timestamp, milliseconds: Int64) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: lhs.millisecondsSinceEpoch + milliseconds)
    }

    public static func - (lhs: Timestamp, rhs: Timestamp) -> Int64 {
        lhs.millisecondsSinceEpoch - rhs.millisecondsSinceEpoch
    }

    /// The record format: whole seconds, a dot, and exactly three digits of milliseconds.
    public var recordText: String {
        let ms = millisecondsSinceEpoch
        let seconds = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000)
        let fraction = ms - seconds * 1000
        var text = String(seconds)
        text.append(".")
        text.append(Character(Unicode.Scalar(UInt8(0x30 + fraction / 100))))
        text.append(Character(Unicode.Scalar(UInt8(0x30 + fraction / 10 % 10))))
        text.append(Character(Unicode.Scalar(UInt8(0x30 + fraction % 10))))
        return text
    }

    /// Parses `seconds.mmm` (the fraction may have one to three digits, or be absent).
    public init?(recordText text: Substring) {
        // Every record carries one: no intermediate arrays.
        let dot = text.utf8.firstIndex(of: UInt8(ascii: "."))
        let whole = dot.map { text[..<$0] } ?? text
        guard !whole.isEmpty, let seconds = Int64(whole) else { return nil }
        var fraction: Int64 = 0
        if let dot {
            let digits = text.utf8[text.utf8.index(after: dot)...]
            guard (1...3).contains(digits.count) else { return nil }
            var scale: Int64 = 100
            for digit in digits {
                guard digit >= 0x30 && digit <= 0x39 else { return nil }
                fraction += Int64(digit - 0x30) * scale
                scale /= 10
            }
        }
        // Garbage must not trap: a value past Int64 milliseconds is no timestamp.
        let (milliseconds, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        guard !overflow, milliseconds <= .max - fraction else { return nil }
        self.millisecondsSinceEpoch = milliseconds + fraction
    }

    public var description: String { recordText }
}
