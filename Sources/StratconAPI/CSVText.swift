import Foundation
import NIOCore

/// RFC 4180 CSV: fields with a comma, quote or line break are quoted, quotes doubled. A field
/// that a spreadsheet would take for a formula (`=`, `+`, `-`, `@` first) gets a leading
/// apostrophe, so an exported status text cannot run code in the operator's spreadsheet.
struct CSVText {
    private(set) var buffer = ByteBuffer()

    mutating func row(_ fields: [String?]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
            guard let field else { continue }
            write(field)
        }
        buffer.writeString("\r\n")
    }

    private mutating func write(_ field: String) {
        var text = field
        if let first = text.first, "=+-@".contains(first), Double(text) == nil { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            buffer.writeString(text)
            return
        }
        buffer.writeString("\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"")
    }
}
