/// The type letter of a metric in a record: the original's `i I l L n s`.
public enum MetricType: Character, Sendable, Hashable, CaseIterable {
    case int32 = "i"
    case uint32 = "I"
    case int64 = "l"
    case uint64 = "L"
    case double = "n"
    case string = "s"

    public var isNumeric: Bool { self != .string }
}
