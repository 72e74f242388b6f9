import Foundation

/// A JSON document built explicitly, so each hook's body is exactly the documented shape
/// (absent vs. `null` is a decision per field) and encodes with sorted keys for stable tests.
enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// A measurement: JSON has no NaN or infinities, so those become the strings Prometheus uses
    /// instead of failing the whole delivery.
    static func measurement(_ value: Double?) -> JSONValue {
        guard let value else { return .null }
        if value.isFinite { return .number(value) }
        return .string(value.alertText)
    }

    static func optional(_ string: String?) -> JSONValue {
        string.map(JSONValue.string) ?? .null
    }

    static func strings(_ dictionary: [String: String]) -> JSONValue {
        .object(dictionary.mapValues(JSONValue.string))
    }

    /// UTF-8 JSON with sorted keys and unescaped slashes (URLs stay readable in receivers' logs).
    func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }
}

extension JSONValue: Encodable {
    func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .number(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .string(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .array(let values):
            var container = encoder.unkeyedContainer()
            for value in values { try container.encode(value) }
        case .object(let members):
            var container = encoder.container(keyedBy: JSONKey.self)
            for (key, value) in members { try container.encode(value, forKey: JSONKey(key)) }
        }
    }

    private struct JSONKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
