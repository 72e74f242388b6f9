/// One metric value. A null carries its type so that a record can still say what it would have been.
public enum MetricValue: Hashable, Sendable {
    case int32(Int32)
    case uint32(UInt32)
    case int64(Int64)
    case uint64(UInt64)
    case double(Double)
    case string(String)
    case null(MetricType)

    public var type: MetricType {
        switch self {
        case .int32: .int32
        case .uint32: .uint32
        case .int64: .int64
        case .uint64: .uint64
        case .double: .double
        case .string: .string
        case .null(let type): type
        }
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The value as a double, for numeric metrics; nil for strings and nulls.
    public var doubleValue: Double? {
        switch self {
        case .int32(let v): Double(v)
        case .uint32(let v): Double(v)
        case .int64(let v): Double(v)
        case .uint64(let v): Double(v)
        case .double(let v): v
        case .string, .null: nil
        }
    }

    /// The unescaped value text of a record; `nil` for a null.
    /// Doubles print the shortest text that reads back to the same bits ("full precision").
    public var valueText: String? {
        switch self {
        case .int32(let v): String(v)
        case .uint32(let v): String(v)
        case .int64(let v): String(v)
        case .uint64(let v): String(v)
        case .double(let v): v.description
        case .string(let v): v
        case .null: nil
        }
    }

    /// Reads a value of a given type from its record text; nil when the text does not fit the type.
    public init?(type: MetricType, valueText text: String) {
        switch type {
        case .int32: guard let v = Int32(text) else { return nil }; self = .int32(v)
        case .uint32: guard let v = UInt32(text) else { return nil }; self = .uint32(v)
        case .int64: guard let v = Int64(text) else { return nil }; self = .int64(v)
        case .uint64: guard let v = UInt64(text) else { return nil }; self = .uint64(v)
        case .double: guard let v = Double(text) else { return nil }; self = .double(v)
        case .string: self = .string(text)
        }
    }
}
