import NIOCore

/// Writes JSON straight into a buffer. The graph API's documents are flat and large (10,000
/// checks, thousands of points), and writing them directly costs a fraction of building
/// dictionaries for an encoder.
struct JSONText {
    // Bytes in an array, handed over as one ByteBuffer at the end: appending to an array is
    // far cheaper per call than ByteBuffer's writes, and a document is hundreds of
    // thousands of small writes.
    private var bytes = [UInt8]()
    var buffer: ByteBuffer { ByteBuffer(bytes: bytes) }
    /// One bit per open object or array, innermost lowest: whether its next value needs a
    /// comma first. A bit stack rather than an array: this runs for every value written.
    private var needsComma: UInt64 = 0

    init(capacity: Int = 4096) {
        bytes.reserveCapacity(capacity)
    }

    private mutating func separate() {
        if needsComma & 1 == 1 { bytes.append(UInt8(ascii: ",")) }
        needsComma |= 1
    }

    // Documents here nest a few levels; 64 is far beyond any of them.
    mutating func beginObject() { separate(); bytes.append(UInt8(ascii: "{")); needsComma <<= 1 }
    mutating func endObject() { needsComma >>= 1; bytes.append(UInt8(ascii: "}")) }
    mutating func beginArray() { separate(); bytes.append(UInt8(ascii: "[")); needsComma <<= 1 }
    mutating func endArray() { needsComma >>= 1; bytes.append(UInt8(ascii: "]")) }

    /// A key inside an object; the value written next belongs to it.
    mutating func key(_ name: String) {
        separate()
        writeString(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma &= ~1
        // The value's own `separate` must not add a comma after the colon; it sets the flag again.
    }

    mutating func string(_ value: String?) {
        separate()
        guard let value else { bytes.append(contentsOf: "null".utf8); return }
        writeString(value)
    }

    mutating func number(_ value: Double?) {
        separate()
        // JSON has no NaN or infinity: such values are as good as missing.
        guard let value, value.isFinite else { bytes.append(contentsOf: "null".utf8); return }
        if value == value.rounded(), abs(value) < 1e15 {
            bytes.append(contentsOf: String(Int64(value)).utf8)
        } else {
            bytes.append(contentsOf: "\(value)".utf8)
        }
    }

    mutating func integer(_ value: Int64?) {
        separate()
        guard let value else { bytes.append(contentsOf: "null".utf8); return }
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
    }

    mutating func field(_ name: String, _ value: String?) { key(name); string(value) }
    mutating func field(_ name: String, _ value: Double?) { key(name); number(value) }
    mutating func field(_ name: String, _ value: Int64?) { key(name); integer(value) }
    mutating func field(_ name: String, _ value: Int) { key(name); integer(Int64(value)) }
    mutating func field(_ name: String, _ value: Bool) { key(name); bool(value) }

    /// A time as an RFC 3339 string (`"2026-11-21T08:00:00.000Z"`).
    mutating func time(milliseconds: Int64) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        GraphTime.withRFC3339(milliseconds: milliseconds) { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func field(_ name: String, time milliseconds: Int64?) {
        key(name)
        if let milliseconds { time(milliseconds: milliseconds) } else { null() }
    }

    /// Copies runs of plain bytes at once; only the few bytes that need escaping are written
    /// one by one.
    private mutating func writeString(_ value: String) {
        var value = value
        bytes.append(UInt8(ascii: "\""))
        value.withUTF8 { text in
            var runStart = 0
            for index in 0..<text.count {
                let byte = text[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "<") else { continue }
                if runStart < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart..<index])) }
                writeEscaped(byte)
                runStart = index + 1
            }
            if runStart < text.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart...])) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func writeEscaped(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): bytes.append(contentsOf: "\\\"".utf8)
        case UInt8(ascii: "\\"): bytes.append(contentsOf: "\\\\".utf8)
        case 0x0A: bytes.append(contentsOf: "\\n".utf8)
        case 0x0D: bytes.append(contentsOf: "\\r".utf8)
        case 0x09: bytes.append(contentsOf: "\\t".utf8)
        // `<` too, so a document can never close a <script> it is embedded in.
        default:
            bytes.append(contentsOf: "\\u00".utf8)
            bytes.append(Self.hex[Int(byte >> 4)])
            bytes.append(Self.hex[Int(byte & 0xF)])
        }
    }

    private static let hex = Array("0123456789abcdef".utf8)
}
