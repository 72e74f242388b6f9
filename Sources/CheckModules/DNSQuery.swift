/// A query on its way out: its message, its wire bytes, and the rule for recognising its answer.
struct DNSQuery: Sendable {
    let message: DNSMessage
    let bytes: [UInt8]

    /// A recursive query with a fresh random id; the random id (and a fresh source port per
    /// run) is what makes blind spoofing of the answer hard.
    init(question: DNSQuestion, id: UInt16 = .random(in: .min ... .max)) {
        message = .query(id: id, question: question)
        bytes = message.encoded()
    }

    var id: UInt16 { message.header.id }
    var question: DNSQuestion { message.questions[0] }

    /// Classifies received bytes. An answer must be a response with our id and echo our
    /// question (names compared without regard to case); a server that could not parse the
    /// question may leave it out, but only with an error rcode. Only a message that passes
    /// those checks and then fails to parse is `malformed`; anything else is `stray`.
    func classify(_ received: [UInt8]) -> DNSReplyMatch {
        var reader = DNSWireReader(received)
        guard received.count >= 12, let id = try? reader.readUInt16(), let flags = try? reader.readUInt16(),
            let questionCount = try? reader.readUInt16()
        else { return .stray(reason: "\(received.count) bytes is shorter than a header") }
        guard id == self.id else { return .stray(reason: "id \(id) is not the query's \(self.id)") }
        let header = DNSHeader(id: id, flags: flags)
        guard header.isResponse else { return .stray(reason: "not a response") }
        if questionCount == 0 && header.responseCode == 0 {
            return .stray(reason: "NOERROR response without a question")
        }
        if questionCount > 1 { return .stray(reason: "\(questionCount) questions") }
        if questionCount == 1 {
            var questionReader = DNSWireReader(received, offset: 12)
            if let name = try? questionReader.readName(), let type = try? questionReader.readUInt16(),
                let recordClass = try? questionReader.readUInt16(),
                !question.matches(
                    DNSQuestion(name: name, type: DNSRecordType(rawValue: type), recordClass: DNSRecordClass(rawValue: recordClass)))
            {
                return .stray(reason: "answers another question (\(name) \(DNSRecordType(rawValue: type)))")
            }
        }
        do {
            return .reply(try DNSMessage(parsing: received))
        } catch {
            return .malformed(error)
        }
    }
}
