import Foundation

extension Record {
    public static let nullValueText = "[[null]]"

    /// The record as one line of text, without the trailing newline.
    public var line: String {
        switch self {
        case .check(let ts, let uuid, let target, let module, let name):
            return join("C", ts.recordText, uuid.lowercasedString, esc(target), esc(module), esc(name))
        case .status(let ts, let uuid, let state, let avail, let duration, let status):
            return join(
                "S", ts.recordText, uuid.lowercasedString, String(state.rawValue), String(avail.rawValue),
                String(duration), esc(status))
        case .metric(let ts, let uuid, let metric):
            var value = metric.value.valueText.map(esc) ?? Record.nullValueText
            // A string that reads exactly like the null marker must not come back as a null.
            if !metric.value.isNull && value == Record.nullValueText { value = "\\x5b[null]]" }
            return join("M", ts.recordText, uuid.lowercasedString, esc(metric.name), String(metric.type.rawValue), value)
        case .delete(let ts, let uuid, let name):
            return join("D", ts.recordText, uuid.lowercasedString, esc(name))
        }
    }

    /// Parses one line (without its newline). Throws a `RecordParseError` naming what is wrong.
    public init(line: some StringProtocol) throws(RecordParseError) {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
        guard let kind = fields.first else { throw .empty }
        func field(_ i: Int) throws(RecordParseError) -> String {
            guard let text = FieldEscaping.unescape(fields[i]) else { throw .badEscape(field: i) }
            return text
        }
        func expect(_ count: Int) throws(RecordParseError) {
            guard fields.count == count else { throw .fieldCount(kind: String(kind), expected: count, found: fields.count) }
        }
        func common() throws(RecordParseError) -> (Timestamp, UUID) {
            guard let ts = Timestamp(recordText: Substring(fields[1])) else { throw .badTimestamp(String(fields[1])) }
            guard let uuid = UUID(uuidString: String(fields[2])) else { throw .badUUID(String(fields[2])) }
            return (ts, uuid)
        }
        switch kind {
        case "C":
            try expect(6)
            let (ts, uuid) = try common()
            self = .check(timestamp: ts, uuid: uuid, target: try field(3), module: try field(4), name: try field(5))
        case "S":
            try expect(7)
            let (ts, uuid) = try common()
            guard fields[3].count == 1, let state = CheckState(rawValue: fields[3].first!) else {
                throw .badValue(field: 3, String(fields[3]))
            }
            guard fields[4].count == 1, let avail = Availability(rawValue: fields[4].first!) else {
                throw .badValue(field: 4, String(fields[4]))
            }
            guard let duration = Int64(fields[5]) else { throw .badValue(field: 5, String(fields[5])) }
            self = .status(
                timestamp: ts, uuid: uuid, state: state, availability: avail, durationMilliseconds: duration,
                status: try field(6))
        case "M":
            try expect(6)
            let (ts, uuid) = try common()
            guard fields[4].count == 1, let type = MetricType(rawValue: fields[4].first!) else {
                throw .badValue(field: 4, String(fields[4]))
            }
            let value: MetricValue
            if fields[5] == Record.nullValueText {
                value = .null(type)
            } else {
                guard let parsed = MetricValue(type: type, valueText: try field(5)) else {
                    throw .badValue(field: 5, String(fields[5]))
                }
                value = parsed
            }
            self = .metric(timestamp: ts, uuid: uuid, metric: Metric(try field(3), value))
        case "D":
            try expect(4)
            let (ts, uuid) = try common()
            self = .delete(timestamp: ts, uuid: uuid, name: try field(3))
        default:
            throw .unknownKind(String(kind))
        }
    }
}

public enum RecordParseError: Error, Hashable, Sendable, CustomStringConvertible {
    case empty
    case unknownKind(String)
    case fieldCount(kind: String, expected: Int, found: Int)
    case badTimestamp(String)
    case badUUID(String)
    case badValue(field: Int, String)
    case badEscape(field: Int)

    public var description: String {
        switch self {
        case .empty: "empty record"
        case .unknownKind(let k): "unknown record kind '\(k)'"
        case .fieldCount(let k, let e, let f): "\(k) record needs \(e) fields, found \(f)"
        case .badTimestamp(let t): "bad timestamp '\(t)'"
        case .badUUID(let u): "bad uuid '\(u)'"
        case .badValue(let i, let v): "bad value '\(v)' in field \(i)"
        case .badEscape(let i): "bad escape or raw control character in field \(i)"
        }
    }
}

@inline(__always) private func esc(_ s: String) -> String { FieldEscaping.escape(s) }

private func join(_ parts: String...) -> String { parts.joined(separator: "\t") }

extension UUID {
    /// Checks are named by lowercase UUIDs everywhere: records, config, console, API.
    public var lowercasedString: String { uuidString.lowercased() }
}
