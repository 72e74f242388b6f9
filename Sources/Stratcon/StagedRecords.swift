import Foundation
import NIOCore
import NoitCore

/// Feed records turned into rows of the `staging_records` COPY (text format), one generic
/// row shape for the four record kinds, so a batch is one COPY whatever it holds:
/// `kind, time_ms, uuid, f1, f2, f3, f4`.
///
/// | kind | f1 | f2 | f3 | f4 |
/// |---|---|---|---|---|
/// | C | target | module | name | |
/// | S | state | availability | duration ms | status |
/// | M | name | type | value (NULL for `[[null]]`) | |
/// | D | name | | | |
public struct StagedRecords: Sendable {
    public private(set) var copyText = ByteBuffer()
    public private(set) var count = 0
    /// Lines that did not parse as records: logged and skipped, never fatal, since the
    /// journal checksums lines and a bad one would otherwise stop the feed forever.
    public private(set) var rejected: [(sequence: UInt64, reason: String)] = []
    /// When each status's check finished (start + duration, ms since the epoch), for the lag.
    public private(set) var completions: [Int64] = []
    /// A metric of a check as the catalogue lists it.
    public struct Series: Hashable, Sendable {
        public var check: UUID
        public var name: String
        public var type: Character
    }

    /// Every series the batch has a value for.
    public private(set) var series = Set<Series>()
    /// The parsed records, for the live subscribers once the batch is committed.
    public private(set) var records: [Record] = []

    public init() {}

    public mutating func append(sequence: UInt64, line: String) {
        let record: Record
        do {
            record = try Record(line: line)
        } catch {
            rejected.append((sequence, "\(error)"))
            return
        }
        append(record)
    }

    public mutating func append(_ record: Record) {
        records.append(record)
        var fields: [String?]
        switch record {
        case .check(let time, let uuid, let target, let module, let name):
            fields = ["C", String(time.millisecondsSinceEpoch), uuid.lowercasedString, target, module, name, nil]
        case .status(let time, let uuid, let state, let availability, let duration, let status):
            completions.append(time.millisecondsSinceEpoch + Int64(duration))
            fields = ["S", String(time.millisecondsSinceEpoch), uuid.lowercasedString, String(state.rawValue),
                      String(availability.rawValue), String(duration), status]
        case .metric(let time, let uuid, let metric):
            series.insert(Series(check: uuid, name: metric.name, type: metric.type.rawValue))
            fields = ["M", String(time.millisecondsSinceEpoch), uuid.lowercasedString, metric.name,
                      String(metric.type.rawValue), metric.value.valueText, nil]
        case .delete(let time, let uuid, let name):
            fields = ["D", String(time.millisecondsSinceEpoch), uuid.lowercasedString, name, nil, nil, nil]
        }
        for (index, field) in fields.enumerated() {
            if index > 0 { copyText.writeInteger(UInt8(ascii: "\t")) }
            if let field { Self.writeEscaped(field, into: &copyText) } else { copyText.writeString("\\N") }
        }
        copyText.writeInteger(UInt8(ascii: "\n"))
        count += 1
    }

    /// COPY's text format: backslash, tab, newline and carriage return are escaped; NUL
    /// cannot be stored in a PostgreSQL text value at all, so it becomes U+FFFD.
    static func writeEscaped(_ text: String, into buffer: inout ByteBuffer) {
        var text = text
        text.withUTF8 { bytes in
            // Runs of plain bytes at once; only the rare byte that needs escaping goes alone.
            var runStart = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
                    || byte == UInt8(ascii: "\r") || byte == 0
                else { continue }
                if runStart < index { buffer.writeBytes(UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
                switch byte {
                case UInt8(ascii: "\\"): buffer.writeString("\\\\")
                case UInt8(ascii: "\t"): buffer.writeString("\\t")
                case UInt8(ascii: "\n"): buffer.writeString("\\n")
                case UInt8(ascii: "\r"): buffer.writeString("\\r")
                default: buffer.writeString("\u{FFFD}")
                }
                runStart = index + 1
            }
            if runStart < bytes.count { buffer.writeBytes(UnsafeBufferPointer(rebasing: bytes[runStart...])) }
        }
    }
}
