import Foundation
import NIOCore

/// Rows in PostgreSQL's binary COPY format, built field by field.
///
/// The server takes binary fields as they are: a text COPY makes it parse every timestamp,
/// uuid and double of the archive rows again, which was a large share of its work per row.
/// Only the tuples are kept here, so that the rows of several batches can be appended to one
/// another; ``header`` and ``trailer`` frame them when they are sent.
struct BinaryCopyRows: Sendable {
    /// `PGCOPY\n\377\r\n\0`, no flags, no header extension.
    static let header: ByteBuffer = {
        var buffer = ByteBuffer()
        buffer.writeBytes([0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00])
        buffer.writeInteger(Int32(0))
        buffer.writeInteger(Int32(0))
        return buffer
    }()

    /// A field count of -1 ends the data.
    static let trailer: ByteBuffer = {
        var buffer = ByteBuffer()
        buffer.writeInteger(Int16(-1))
        return buffer
    }()

    private(set) var tuples = ByteBuffer()
    private(set) var count = 0

    mutating func beginRow(fields: Int16) {
        tuples.writeInteger(fields)
        count += 1
    }

    mutating func append(contentsOf other: BinaryCopyRows) {
        var more = other.tuples
        tuples.writeBuffer(&more)
        count += other.count
    }

    mutating func writeNull() {
        tuples.writeInteger(Int32(-1))
    }

    mutating func write(_ uuid: UUID) {
        tuples.writeInteger(Int32(16))
        withUnsafeBytes(of: uuid.uuid) { tuples.writeBytes($0) }
    }

    /// Microseconds since 2000-01-01 UTC, PostgreSQL's own representation of `timestamptz`.
    mutating func writeTimestamp(millisecondsSinceEpoch ms: Int64) {
        tuples.writeInteger(Int32(8))
        tuples.writeInteger((ms - 946_684_800_000) * 1000)
    }

    mutating func write(_ value: Int32) {
        tuples.writeInteger(Int32(4))
        tuples.writeInteger(value)
    }

    /// `double precision`: the IEEE 754 bits, big-endian.
    mutating func write(_ value: Double) {
        tuples.writeInteger(Int32(8))
        tuples.writeInteger(value.bitPattern)
    }

    /// One byte of text (for `char(1)` columns).
    mutating func write(byte: UInt8) {
        tuples.writeInteger(Int32(1))
        tuples.writeInteger(byte)
    }

    /// Text as UTF-8. NUL, which no PostgreSQL text value can hold, becomes U+FFFD (the
    /// server would refuse the whole batch for it, and a feed must never stick on one line).
    mutating func write(_ text: String) {
        let lengthIndex = tuples.writerIndex
        tuples.writeInteger(Int32(0))
        var text = text
        let written = text.withUTF8 { bytes -> Int in
            guard bytes.contains(0) else { return tuples.writeBytes(bytes) }
            var total = 0
            for part in bytes.split(separator: 0, omittingEmptySubsequences: false).enumerated() {
                if part.offset > 0 { total += tuples.writeString("\u{FFFD}") }
                total += tuples.writeBytes(UnsafeBufferPointer(rebasing: part.element))
            }
            return total
        }
        tuples.setInteger(Int32(written), at: lengthIndex)
    }
}
