#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a segment file line by line through one buffer, with a pread per buffer refill rather
/// than per line.
struct SegmentLineReader {
    enum Next {
        /// A complete line; its bytes (without the newline) are `buffer[range]` until the next call.
        case line(offset: Int64, range: Range<Int>)
        /// Bytes remain before `end` but no newline ends them: a torn write.
        case incomplete(offset: Int64)
        case end
    }

    let file: POSIXFile
    /// The reader never looks at bytes at or past this offset.
    private(set) var end: Int64
    private(set) var buffer: [UInt8]
    /// File offset of `buffer[0]`.
    private var bufferOffset: Int64
    /// Index in `buffer` of the first unconsumed byte.
    private var position = 0
    /// Number of valid bytes in `buffer`.
    private var filled = 0

    init(file: POSIXFile, from offset: Int64, to end: Int64, chunkSize: Int) {
        self.file = file
        self.end = end
        self.bufferOffset = offset
        self.buffer = [UInt8](repeating: 0, count: max(4096, min(chunkSize, Int(clamping: end - offset))))
    }

    /// File offset of the next unread line.
    var offset: Int64 { bufferOffset + Int64(position) }

    mutating func next() throws -> Next {
        while true {
            let newline = buffer.withUnsafeBytes { bytes -> Int? in
                guard filled > position,
                    let found = memchr(bytes.baseAddress! + position, Int32(JournalLine.newline), filled - position)
                else { return nil }
                return UnsafeRawPointer(found) - UnsafeRawPointer(bytes.baseAddress!)
            }
            if let newline {
                let lineOffset = offset
                let range = position..<newline
                position = newline + 1
                return .line(offset: lineOffset, range: range)
            }
            if bufferOffset + Int64(filled) >= end {
                return position < filled ? .incomplete(offset: offset) : .end
            }
            try refill()
        }
    }

    /// Keeps the unconsumed tail, grows the buffer when one line fills it, and reads more.
    private mutating func refill() throws {
        if position > 0 {
            let kept = filled - position
            buffer.withUnsafeMutableBytes { bytes in
                bytes.baseAddress!.copyMemory(from: bytes.baseAddress! + position, byteCount: kept)
            }
            bufferOffset += Int64(position)
            filled = kept
            position = 0
        }
        if filled == buffer.count {
            buffer.append(contentsOf: repeatElement(0, count: buffer.count))
        }
        let wanted = Int(min(Int64(buffer.count - filled), end - bufferOffset - Int64(filled)))
        let count = try buffer.withUnsafeMutableBytes { bytes in
            try file.read(
                into: UnsafeMutableRawBufferPointer(rebasing: bytes[filled..<filled + wanted]),
                at: bufferOffset + Int64(filled))
        }
        filled += count
        // The file is shorter than expected; what is there is all there is.
        if count < wanted { end = bufferOffset + Int64(filled) }
    }
}
