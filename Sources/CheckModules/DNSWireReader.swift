/// A bounds-checked cursor over one whole DNS message. Every read checks the end of the
/// message first, so no input makes it trap; names may use compression pointers into any
/// earlier part of the message.
struct DNSWireReader {
    let bytes: [UInt8]
    private(set) var offset: Int

    init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    var isAtEnd: Bool { offset >= bytes.count }

    mutating func readUInt8() throws(DNSParseError) -> UInt8 {
        guard offset < bytes.count else { throw .truncated(offset: offset) }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func readUInt16() throws(DNSParseError) -> UInt16 {
        guard bytes.count - offset >= 2 else { throw .truncated(offset: offset) }
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    mutating func readUInt32() throws(DNSParseError) -> UInt32 {
        guard bytes.count - offset >= 4 else { throw .truncated(offset: offset) }
        defer { offset += 4 }
        return (0..<4).reduce(UInt32(0)) { $0 << 8 | UInt32(bytes[offset + $1]) }
    }

    mutating func readBytes(_ count: Int) throws(DNSParseError) -> [UInt8] {
        guard count >= 0, bytes.count - offset >= count else { throw .truncated(offset: offset) }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// Reads a possibly compressed name and leaves the cursor after its in-place part.
    ///
    /// Each pointer must point strictly before the run of labels it continues: that is the
    /// only shape a real encoder produces, and it makes every walk finish (targets strictly
    /// decrease), so loops are rejected without counting hops.
    mutating func readName() throws(DNSParseError) -> DNSName {
        let start = offset
        var labels = [[UInt8]]()
        var wireLength = 1
        var position = offset
        var runStart = offset
        var resumeAt: Int?
        while true {
            guard position < bytes.count else { throw .truncated(offset: position) }
            let length = bytes[position]
            switch length & 0xC0 {
            case 0x00:
                if length == 0 {
                    offset = resumeAt ?? position + 1
                    return DNSName(validatedLabels: labels)
                }
                let end = position + 1 + Int(length)
                guard end <= bytes.count else { throw .truncated(offset: position) }
                wireLength += 1 + Int(length)
                guard wireLength <= 255 else { throw .nameTooLong(offset: start) }
                labels.append(Array(bytes[(position + 1)..<end]))
                position = end
            case 0xC0:
                guard position + 1 < bytes.count else { throw .truncated(offset: position) }
                let target = Int(length & 0x3F) << 8 | Int(bytes[position + 1])
                guard target < bytes.count else { throw .pointerOutOfBounds(offset: position, target: target) }
                guard target < runStart else { throw .pointerLoop(offset: position, target: target) }
                if resumeAt == nil { resumeAt = position + 2 }
                position = target
                runStart = target
            default:
                throw .badLabelType(offset: position)
            }
        }
    }
}
