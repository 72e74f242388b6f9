/// Parsing and encoding whole messages.
extension DNSMessage {
    /// Parses a message; throws on anything malformed, whatever the bytes (truncation, bad
    /// pointers, RDATA that does not fit its type). Trailing bytes after the last record are
    /// ignored, as resolvers do.
    init(parsing bytes: [UInt8]) throws(DNSParseError) {
        var reader = DNSWireReader(bytes)
        let id = try reader.readUInt16()
        let flags = try reader.readUInt16()
        let questionCount = try reader.readUInt16()
        let answerCount = try reader.readUInt16()
        let authorityCount = try reader.readUInt16()
        let additionalCount = try reader.readUInt16()
        self.init(header: DNSHeader(id: id, flags: flags))
        for _ in 0..<questionCount {
            let name = try reader.readName()
            let type = DNSRecordType(rawValue: try reader.readUInt16())
            let recordClass = DNSRecordClass(rawValue: try reader.readUInt16())
            questions.append(DNSQuestion(name: name, type: type, recordClass: recordClass))
        }
        answers = try Self.readRecords(answerCount, from: &reader)
        authorities = try Self.readRecords(authorityCount, from: &reader)
        additionals = try Self.readRecords(additionalCount, from: &reader)
    }

    private static func readRecords(_ count: UInt16, from reader: inout DNSWireReader) throws(DNSParseError) -> [DNSResourceRecord] {
        var records = [DNSResourceRecord]()
        for _ in 0..<count {
            let name = try reader.readName()
            let type = DNSRecordType(rawValue: try reader.readUInt16())
            let recordClass = DNSRecordClass(rawValue: try reader.readUInt16())
            let ttl = try reader.readUInt32()
            let length = Int(try reader.readUInt16())
            let data = try DNSRecordData.read(type: type, length: length, from: &reader)
            records.append(DNSResourceRecord(name: name, type: type, recordClass: recordClass, ttl: ttl, data: data))
        }
        return records
    }

    /// The message in wire format, names uncompressed. Sections beyond 65535 entries are
    /// not representable and are cut.
    func encoded() -> [UInt8] {
        var writer = DNSWireWriter()
        writer.write(header.id)
        writer.write(header.flags)
        let questions = self.questions.prefix(Int(UInt16.max))
        let sections = [answers, authorities, additionals].map { $0.prefix(Int(UInt16.max)) }
        writer.write(UInt16(questions.count))
        for section in sections { writer.write(UInt16(section.count)) }
        for question in questions {
            writer.write(question.name)
            writer.write(question.type.rawValue)
            writer.write(question.recordClass.rawValue)
        }
        for record in sections.joined() {
            writer.write(record.name)
            writer.write(record.type.rawValue)
            writer.write(record.recordClass.rawValue)
            writer.write(record.ttl)
            writer.writeLengthPrefixed { record.data.write(to: &$0) }
        }
        return writer.bytes
    }
}
