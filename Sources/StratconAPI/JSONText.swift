import NIOCore

/// Writes JSON straight into a buffer. The graph API's documents are flat and large (10,000
/// checks, thousands of points), and writing them directly costs a fraction of building
/// dictionaries for an encoder.
struct JSONText {
    private(set) var buffer = ByteBuffer()
    private var needsComma = [false]

    init(capacity: Int = 4096) {
        buffer.reserveCapacity(capacity)
    }

    private mutating func separate() {
        if needsComma[needsComma.count - 1] { buffer.writeInteger(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
    }

    mutating func beginObject() { separate(); buffer.writeInteger(UInt8(ascii: "{")); needsComma.append(false) }
    mutating func endObject() { needsComma.removeLast(); buffer.writeInteger(UInt8(ascii: "}")) }
    mutating func beginArray() { separate(); buffer.writeInteger(UInt8(ascii: "[")); needsComma.append(false) }
    mutating func endArray() { needsComma.removeLast(); buffer.writeInteger(UInt8(ascii: "]")) }

    /// A key inside an object; the value written next belongs to it.
    mutating func key(_ name: String) {
        separate()
        writeString(name)
        buffer.writeInteger(UInt8(ascii: ":"))
        needsComma[needsComma.count - 1] = false
        // The value's own `separate` must not add a comma after the colon; it sets the flag again.
    }

    mutating func string(_ value: String?) {
        separate()
        guard let value else { buffer.writeString("null"); return }
        writeString(value)
    }

    mutating func number(_ value: Double?) {
        separate()
        // JSON has no NaN or infinity: such values are as good as missing.
        guard let value, value.isFinite else { buffer.writeString("null"); return }
        if value == value.rounded(), abs(value) < 1e15 {
            buffer.writeString(String(Int64(value)))
        } else {
            buffer.writeString("\(value)")
        }
    }

    mutating func integer(_ value: Int64?) {
        separate()
        guard let value else { buffer.writeString("null"); return }
        buffer.writeString(String(value))
    }

    mutating func bool(_ value: Bool) {
        separate()
        buffer.writeString(value ? "true" : "false")
    }

    mutating func null() {
        separate()
        buffer.writeString("null")
    }

    mutating func field(_ name: String, _ value: String?) { key(name); string(value) }
    mutating func field(_ name: String, _ value: Double?) { key(name); number(value) }
    mutating func field(_ name: String, _ value: Int64?) { key(name); integer(value) }
    mutating func field(_ name: String, _ value: Int) { key(name); integer(Int64(value)) }
    mutating func field(_ name: String, _ value: Bool) { key(name); bool(value) }

    private mutating func writeString(_ value: String) {
        buffer.writeInteger(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): buffer.writeString("\\\"")
            case UInt8(ascii: "\\"): buffer.writeString("\\\\")
            case 0x0A: buffer.writeString("\\n")
            case 0x0D: buffer.writeString("\\r")
            case 0x09: buffer.writeString("\\t")
            // `<` too, so a document can never close a <script> it is embedded in.
            case 0..<0x20, UInt8(ascii: "<"):
                buffer.writeString("\\u00")
                buffer.writeInteger(Self.hex[Int(byte >> 4)])
                buffer.writeInteger(Self.hex[Int(byte & 0xF)])
            default: buffer.writeInteger(byte)
            }
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    private static let hex = Array("0123456789abcdef".utf8)
}
