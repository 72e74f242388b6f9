import Foundation

extension Record {
    public static let nullValueText = "[[null]]"

    /// The record as one line of text, without the trailing newline.
    public var line: String {
        line(timestampText: timestamp.recordText, uuidText: uuid.lowercasedString)
    }

    /// The lines of one completed run, as `records(of:uuid:at:).map(\.line)` gives them, with the
    /// timestamp and uuid formatted once for all of them (this runs for every check run).
    public static func lines(of result: CheckResult, uuid: UUID, at timestamp: Timestamp) -> [String] {
        let timestampText = timestamp.recordText
        let uuidText = uuid.lowercasedString
        return records(of: result, uuid: uuid, at: timestamp).map { $0.line(timestampText: timestampText, uuidText: uuidText) }
    }

    /// Builds the line by appending into one string: no intermediate array of fields.
    func line(timestampText: String, uuidText: String) -> String {
        var text = ""
        text.reserveCapacity(64 + timestampText.utf8.count + uuidText.utf8.count)
        func field(_ value: String) {
            text.append("\t")
            text.append(value)
        }
        switch self {
        case .check(_, _, let target, let module, let name):
            text.append("C")
            field(timestampText)
            field(uuidText)
            field(esc(target))
            field(esc(module))
            field(esc(name))
        case .status(_, _, let state, let avail, let duration, let status):
            text.append("S")
            field(timestampText)
            field(uuidText)
            text.append("\t")
            text.append(state.rawValue)
            text.append("\t")
            text.append(avail.rawValue)
            field(String(duration))
            field(esc(status))
        case .metric(_, _, let metric):
            var value = metric.value.valueText.map(esc) ?? Record.nullValueText
            // A string that reads exactly like the null marker must not come back as a null.
            if !metric.value.isNull && value == Record.nullValueText { value = "\\x5b[null]]" }
            text.append("M")
            field(timestampText)
            field(uuidText)
            field(esc(metric.name))
            text.append("\t")
            text.append(metric.type.rawValue)
            field(value)
        case .delete(_, _, let name):
            text.append("D")
            field(timestampText)
            field(uuidText)
            field(esc(name))
        }
        return text
    }

    /// Parses one line (without its newline). Throws a `RecordParseError` naming what is wrong.
    public init(line: some StringProtocol) throws(RecordParseError) {
        // Split on the tab byte: splitting a String by Character costs grapheme breaking for
        // every byte, and fields never contain a raw tab (they are escaped).
        let line = Substring(line)
        var fields = [Substring]()
        fields.reserveCapacity(8)
        var fieldStart = line.utf8.startIndex
        var index = fieldStart
        while index != line.utf8.endIndex {
            if line.utf8[index] == 0x09 {
                fields.append(line[fieldStart..<index])
                fieldStart = line.utf8.index(after: index)
            }
            index = line.utf8.index(after: index)
        }
        fields.append(line[fieldStart..<index])
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
            guard let uuid = UUID(text: fields[2]) else { throw .badUUID(String(fields[2])) }
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
            guard fields[3].utf8.count == 1, let state = CheckState(rawValue: fields[3].first!) else {
                throw .badValue(field: 3, String(fields[3]))
            }
            guard fields[4].utf8.count == 1, let avail = Availability(rawValue: fields[4].first!) else {
                throw .badValue(field: 4, String(fields[4]))
            }
            guard let duration = Int64(fields[5]) else { throw .badValue(field: 5, String(fields[5])) }
            self = .status(
                timestamp: ts, uuid: uuid, state: state, availability: avail, durationMilliseconds: duration,
                status: try field(6))
        case "M":
            try expect(6)
            let (ts, uuid) = try common()
            guard fields[4].utf8.count == 1, let type = MetricType(rawValue: fields[4].first!) else {
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

extension UUID {
    /// Checks are named by lowercase UUIDs everywhere: records, config, console, API.
    /// Formatted from the bytes directly: every journal record carries one, and going through
    /// `uuidString` and `lowercased()` costs two allocations each time.
    public var lowercasedString: String {
        withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { output in
                var position = 0
                for (index, byte) in bytes.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        output[position] = 0x2D
                        position += 1
                    }
                    output[position] = lowercaseHexDigit(byte >> 4)
                    output[position + 1] = lowercaseHexDigit(byte & 0xF)
                    position += 2
                }
                return position
            }
        }
    }
}

@inline(__always) private func lowercaseHexDigit(_ nibble: UInt8) -> UInt8 {
    nibble < 10 ? 0x30 + nibble : 0x61 + nibble - 10
}
