/// A whole DNS message (RFC 1035 §4.1).
struct DNSMessage: Hashable, Sendable {
    var header: DNSHeader
    var questions: [DNSQuestion] = []
    var answers: [DNSResourceRecord] = []
    var authorities: [DNSResourceRecord] = []
    var additionals: [DNSResourceRecord] = []

    init(header: DNSHeader) { self.header = header }

    /// A standard query for one question with RD set; with `ednsPayloadSize` an EDNS0 OPT
    /// record (RFC 6891) offers that UDP payload size.
    static func query(id: UInt16, question: DNSQuestion, ednsPayloadSize: UInt16? = nil) -> DNSMessage {
        var header = DNSHeader(id: id)
        header.recursionDesired = true
        var message = DNSMessage(header: header)
        message.questions = [question]
        if let ednsPayloadSize {
            message.additionals = [
                DNSResourceRecord(
                    name: .root, type: .opt, recordClass: DNSRecordClass(rawValue: ednsPayloadSize), ttl: 0,
                    data: .other([]))
            ]
        }
        return message
    }

    /// The EDNS0 OPT pseudo-record, when the message has one.
    var optRecord: DNSResourceRecord? { additionals.first { $0.type == .opt } }

    /// The full response code: the header's four bits, plus the upper eight from OPT.
    var responseCode: DNSResponseCode {
        let extended = UInt16((optRecord?.ttl ?? 0) >> 24)
        return DNSResponseCode(rawValue: extended << 4 | UInt16(header.responseCode))
    }
}
