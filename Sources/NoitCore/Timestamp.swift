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
        let parts = text.utf8.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false).map { Substring($0) }
        guard let first = parts.first, !first.isEmpty, let seconds = Int64(first) else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard (1...3).contains(digits.utf8.count), digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let value = Int64(digits) else {
                return nil
            }
            fraction = value * [100, 10, 1][digits.utf8.count - 1]
        }
        self.millisecondsSinceEpoch = seconds * 1000 + fraction
    }

    public var description: String { recordText }
}
