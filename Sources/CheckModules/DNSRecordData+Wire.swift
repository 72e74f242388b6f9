/// RDATA decoding and encoding.
extension DNSRecordData {
    /// Decodes `length` bytes of RDATA of `type` at the reader's position. Names inside may
    /// point anywhere earlier in the message, but must end inside the RDATA; the reader ends up
    /// exactly after the RDATA.
    static func read(
        type: DNSRecordType, length: Int, from reader: inout DNSWireReader
    ) throws(DNSParseError) -> DNSRecordData {
        let start = reader.offset
        let end = start + length
        guard end <= reader.bytes.count else { throw .truncated(offset: start) }
        let bad = DNSParseError.badRecordData(type: type, offset: start)
        let data: DNSRecordData
        switch type {
        case .a:
            guard length == 4 else { throw bad }
            data = .a(try reader.readBytes(4))
        case .aaaa:
            guard length == 16 else { throw bad }
            data = .aaaa(try reader.readBytes(16))
        case .cname: data = .cname(try readName(&reader, end: end, bad: bad))
        case .ns: data = .ns(try readName(&reader, end: end, bad: bad))
        case .ptr: data = .ptr(try readName(&reader, end: end, bad: bad))
        case .mx:
            guard length >= 3 else { throw bad }
            let preference = try reader.readUInt16()
            data = .mx(preference: preference, exchange: try readName(&reader, end: end, bad: bad))
        case .txt:
            var strings = [[UInt8]]()
            while reader.offset < end {
                let count = Int(try reader.readUInt8())
                guard reader.offset + count <= end else { throw bad }
                strings.append(try reader.readBytes(count))
            }
            // An empty TXT RDATA is invalid: the record holds at least one (possibly empty) string.
            guard !strings.isEmpty else { throw bad }
            data = .txt(strings)
        case .soa:
            let primary = try readName(&reader, end: end, bad: bad)
            let mailbox = try readName(&reader, end: end, bad: bad)
            guard end - reader.offset == 20 else { throw bad }
            data = .soa(
                DNSStartOfAuthority(
                    primaryServer: primary, responsibleMailbox: mailbox, serial: try reader.readUInt32(),
                    refresh: try reader.readUInt32(), retry: try reader.readUInt32(),
                    expire: try reader.readUInt32(), minimum: try reader.readUInt32()))
        case .srv:
            guard length >= 7 else { throw bad }
            let priority = try reader.readUInt16()
            let weight = try reader.readUInt16()
            let port = try reader.readUInt16()
            data = .srv(priority: priority, weight: weight, port: port, target: try readName(&reader, end: end, bad: bad))
        default:
            data = .other(try reader.readBytes(length))
        }
        guard reader.offset == end else { throw bad }
        return data
    }

    private static func readName(
        _ reader: inout DNSWireReader, end: Int, bad: DNSParseError
    ) throws(DNSParseError) -> DNSName {
        guard reader.offset < end else { throw bad }
        let name = try reader.readName()
        guard reader.offset <= end else { throw bad }
        return name
    }

    /// Writes the RDATA without its length.
    func write(to writer: inout DNSWireWriter) {
        switch self {
        case .a(let bytes), .aaaa(let bytes), .other(let bytes):
            writer.write(bytes: bytes)
        case .cname(let name), .ns(let name), .ptr(let name):
            writer.write(name)
        case .mx(let preference, let exchange):
            writer.write(preference)
            writer.write(exchange)
        case .txt(let strings):
            for string in strings {
                let clipped = string.prefix(255)
                writer.write(UInt8(clipped.count))
                writer.write(bytes: Array(clipped))
            }
        case .soa(let soa):
            writer.write(soa.primaryServer)
            writer.write(soa.responsibleMailbox)
            for value in [soa.serial, soa.refresh, soa.retry, soa.expire, soa.minimum] { writer.write(value) }
        case .srv(let priority, let weight, let port, let target):
            writer.write(priority)
            writer.write(weight)
            writer.write(port)
            writer.write(target)
        }
    }
}
