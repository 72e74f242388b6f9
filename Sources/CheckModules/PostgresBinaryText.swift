import NIOCore
import PostgresNIO

/// PostgreSQL's text form of a value that arrived in binary form.
///
/// PostgresNIO asks for every result column in binary, so the text a string metric (or a
/// metric name) needs is rebuilt here from the wire bytes, matching what the type's output
/// function prints (as psql shows it) under the default settings, for the types below;
/// timestamps with a time zone are printed in UTC. The server's bytes are not trusted: a value of the wrong length or shape gives nil,
/// never a trap.
///
/// Types without a rendering here (arrays, ranges, geometric types, money, ...) give nil; an
/// operator who wants them casts in the query (`SELECT name, tags::text ...`). Types defined in
/// the database (enums, domains over text, extension types such as citext) have no fixed
/// identifier; their binary form is taken as text when it is valid UTF-8 without NUL bytes,
/// which it is for enums and text-like types.
enum PostgresBinaryText {
    /// More bytea than this renders more text than a string metric keeps.
    static let maximumRenderedBytes = 4_096

    static func text(of type: PostgresDataType, _ bytes: ByteBuffer) -> String? {
        var buffer = bytes
        switch type {
        case .text, .varchar, .bpchar, .name, .unknown, .json, .xml:
            return String(decoding: buffer.readableBytesView, as: UTF8.self)
        case .jsonb:
            guard buffer.readInteger(as: UInt8.self) == 1 else { return nil }
            return String(decoding: buffer.readableBytesView, as: UTF8.self)
        case .char:
            // The one-byte internal type "char".
            guard buffer.readableBytes <= 1 else { return nil }
            return String(decoding: buffer.readableBytesView, as: UTF8.self)
        case .bool:
            guard buffer.readableBytes == 1, let byte = buffer.readInteger(as: UInt8.self) else { return nil }
            return byte == 0 ? "f" : "t"
        case .int2:
            return exact(&buffer, as: Int16.self).map { String($0) }
        case .int4:
            return exact(&buffer, as: Int32.self).map { String($0) }
        case .int8:
            return exact(&buffer, as: Int64.self).map { String($0) }
        case .oid, .xid, .cid, .regproc, .regclass:
            return exact(&buffer, as: UInt32.self).map { String($0) }
        case .xid8:
            return exact(&buffer, as: UInt64.self).map { String($0) }
        case .float4:
            return exact(&buffer, as: UInt32.self).map { floatText(Double(Float(bitPattern: $0))) }
        case .float8:
            return exact(&buffer, as: UInt64.self).map { floatText(Double(bitPattern: $0)) }
        case .numeric:
            return numericText(buffer)
        case .uuid:
            return uuidText(buffer)
        case .bytea:
            // Longer text would be cut from the metric anyway.
            return "\\x" + hex(buffer.readableBytesView.prefix(maximumRenderedBytes))
        case .date:
            return exact(&buffer, as: Int32.self).map(dateText)
        case .time:
            return exact(&buffer, as: Int64.self).flatMap(timeText)
        case .timetz:
            return timeWithZoneText(buffer)
        case .timestamp:
            return exact(&buffer, as: Int64.self).flatMap { timestampText($0, withZone: false) }
        case .timestamptz:
            return exact(&buffer, as: Int64.self).flatMap { timestampText($0, withZone: true) }
        case .interval:
            return intervalText(buffer)
        case .inet, .cidr:
            return inetText(buffer)
        case .macaddr:
            guard buffer.readableBytes == 6 else { return nil }
            return buffer.readableBytesView.map { hex(byte: $0) }.joined(separator: ":")
        default:
            guard type.isUserDefined, !buffer.readableBytesView.contains(0) else { return nil }
            return String(validating: buffer.readableBytesView, as: UTF8.self)
        }
    }

    /// A fixed-size big-endian integer that must fill the value exactly.
    static func exact<Integer: FixedWidthInteger>(_ buffer: inout ByteBuffer, as: Integer.Type) -> Integer? {
        guard buffer.readableBytes == MemoryLayout<Integer>.size else { return nil }
        return buffer.readInteger(endianness: .big, as: Integer.self)
    }

    /// PostgreSQL's shortest exact form for the usual range: integral values without ".0", and
    /// its own spellings of the special values.
    static func floatText(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return value.description
    }

    private static func uuidText(_ buffer: ByteBuffer) -> String? {
        guard buffer.readableBytes == 16 else { return nil }
        let digits = hex(buffer.readableBytesView)
        var text = ""
        for (offset, character) in digits.enumerated() {
            if [8, 12, 16, 20].contains(offset) { text.append("-") }
            text.append(character)
        }
        return text
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var text = ""
        for byte in bytes { text += hex(byte: byte) }
        return text
    }

    private static let hexDigits = Array("0123456789abcdef")

    private static func hex(byte: UInt8) -> String {
        String([hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]])
    }
}
