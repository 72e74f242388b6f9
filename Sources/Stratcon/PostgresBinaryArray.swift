import Foundation
import NIOCore
import NoitCore
import PostgresNIO

/// A one-dimensional PostgreSQL array in the binary wire format, built element by element and
/// sent as one bind parameter. For arrays of thousands of elements this costs a few byte
/// writes per element, where encoding a Swift array goes through the generic machinery for
/// every element and a text array makes the server parse every element (timestamps slowly).
struct PostgresBinaryArray: PostgresDynamicTypeEncodable, Sendable {
    enum Element: Sendable {
        case uuid, text, timestamptz

        var type: PostgresDataType {
            switch self {
            case .uuid: .uuid
            case .text: .text
            case .timestamptz: .timestamptz
            }
        }

        var arrayType: PostgresDataType {
            switch self {
            case .uuid: .uuidArray
            case .text: .textArray
            case .timestamptz: .timestamptzArray
            }
        }
    }

    let element: Element
    private(set) var count: Int32 = 0
    private var elements = ByteBuffer()

    init(of element: Element) {
        self.element = element
    }

    var psqlType: PostgresDataType { element.arrayType }
    var psqlFormat: PostgresFormat { .binary }

    mutating func append(_ uuid: UUID) {
        precondition(element == .uuid)
        elements.writeInteger(Int32(16))
        let bytes = uuid.uuid
        withUnsafeBytes(of: bytes) { elements.writeBytes($0) }
        count += 1
    }

    /// NUL, which no text value can hold, becomes U+FFFD as in COPY.
    mutating func append(_ text: String) {
        precondition(element == .text)
        let clean = text.utf8.contains(0) ? text.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") : text
        elements.writeInteger(Int32(clean.utf8.count))
        elements.writeString(clean)
        count += 1
    }

    /// Microseconds since 2000-01-01 UTC, PostgreSQL's own representation.
    mutating func append(millisecondsSinceEpoch ms: Int64) {
        precondition(element == .timestamptz)
        elements.writeInteger(Int32(8))
        elements.writeInteger((ms - 946_684_800_000) * 1000)
        count += 1
    }

    func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        buffer.writeInteger(Int32(1))                   // dimensions
        buffer.writeInteger(Int32(0))                   // no NULL elements
        buffer.writeInteger(element.type.rawValue)      // element type
        buffer.writeInteger(count)                      // length of the dimension
        buffer.writeInteger(Int32(1))                   // its lower bound
        var elements = self.elements
        buffer.writeBuffer(&elements)
    }
}
