import Testing

@testable import CheckModules

/// The codec against answers recorded from dnsmasq 2.90 (ids 0x1234; captured once with a
/// throwaway client against the same dnsmasq options DNSModuleTests uses) and against
/// messages built byte by byte for compression and for every kind of damage.
@Suite("dns codec")
struct DNSCodecTests {
    func parse(_ bytes: [UInt8]) throws -> DNSMessage {
        try DNSMessage(parsing: bytes)
    }

    func summary(_ bytes: [UInt8], _ name: String, _ type: DNSRecordType, _ recordClass: DNSRecordClass = .internet) throws
        -> DNSAnswerSummary
    {
        let question = DNSQuestion(name: try #require(DNSName(text: name)), type: type, recordClass: recordClass)
        return DNSAnswerSummary(message: try parse(bytes), question: question)
    }

    @Test("an A answer: header flags, the question, a compressed owner name, TTL and address")
    func aRecord() throws {
        let message = try parse(Self.aRecord)
        #expect(message.header.id == 0x1234)
        #expect(message.header.isResponse && message.header.isAuthoritative && message.header.recursionDesired)
        #expect(message.header.recursionAvailable && !message.header.isTruncated)
        #expect(message.responseCode == .noError)
        #expect(message.questions.map(\.name.description) == ["a.test"])
        #expect(message.questions.first?.type == .a)
        let record = try #require(message.answers.first)
        #expect(message.answers.count == 1)
        #expect(record.name.description == "a.test")
        #expect(record.ttl == 300)
        #expect(record.data == .a([192, 0, 2, 1]))
        #expect(record.data.presentation == "192.0.2.1")
    }

    @Test("every recorded type decodes and renders as the answer metric text")
    func recordedTypes() throws {
        let cases: [([UInt8], String, DNSRecordType, DNSRecordClass, [String])] = [
            (Self.aaaaRecord, "h.test", .aaaa, .internet, ["2001:db8::7"]),
            (Self.mxRecord, "mx.test", .mx, .internet, ["10 mail.mx.test"]),
            (Self.txtRecord, "t.test", .txt, .internet, ["hello worldsecond"]),
            (Self.srvRecord, "_sip._udp.s.test", .srv, .internet, ["1 2 5060 sip.s.test"]),
            (Self.ptrRecord, "7.2.0.192.in-addr.arpa", .ptr, .internet, ["h.test"]),
            (Self.ptr6Record, "7.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa", .ptr, .internet, ["h6.test"]),
            (Self.nsRecord, "z.test", .ns, .internet, ["ns.z.test"]),
            (Self.soaRecord, "z.test", .soa, .internet, ["2024010101"]),
            (Self.chaosVersion, "version.bind", .txt, .chaos, ["dnsmasq-2.90"]),
        ]
        for (bytes, name, type, recordClass, expected) in cases {
            let result = try summary(bytes, name, type, recordClass)
            #expect(result.answers == expected, "\(name) \(type)")
            #expect(result.responseCode == .noError, "\(name) \(type)")
            #expect(result.minimumTTL != nil, "\(name) \(type)")
        }
    }

    @Test("TXT keeps its character-strings apart in the record and joins them in the text")
    func txtStrings() throws {
        let record = try #require(try parse(Self.txtRecord).answers.first)
        #expect(record.data == .txt([Array("hello world".utf8), Array("second".utf8)]))
    }

    @Test("SOA decodes all seven fields; the authority section parses too")
    func soaRecord() throws {
        let message = try parse(Self.soaRecord)
        let soa = try #require(try summary(Self.soaRecord, "z.test", .soa).startOfAuthority)
        #expect(soa.primaryServer.description == "ns.z.test")
        #expect(soa.responsibleMailbox.description == "hostmaster.z.test")
        #expect(soa.serial == 2_024_010_101)
        #expect([soa.refresh, soa.retry, soa.expire, soa.minimum] == [1200, 120, 604_800, 900])
        #expect(message.authorities.count == 1)
        #expect(message.authorities.first?.name.description == "z.test")
        #expect(message.authorities.first?.data == .ns(try #require(DNSName(text: "ns.z.test"))))
    }

    @Test("a CNAME chain: the answer is the canonical name's address, cname its name")
    func cnameChain() throws {
        let result = try summary(Self.cnameChain, "c.test", .a)
        #expect(result.answers == ["192.0.2.7"])
        #expect(result.canonicalName?.description == "h.test")
        #expect(result.minimumTTL == 300)
        let cnameAsked = try summary(Self.cnameChain, "c.test", .cname)
        #expect(cnameAsked.answers == ["h.test"])
    }

    @Test("NXDOMAIN and REFUSED parse with their rcode and no answers")
    func errorRcodes() throws {
        let nx = try summary(Self.nxdomain, "nope.z.test", .a)
        #expect(nx.responseCode == .nameError)
        #expect(nx.responseCode.description == "NXDOMAIN")
        #expect(nx.answers.isEmpty && nx.minimumTTL == nil)
        let refused = try summary(Self.refused, "nope.test", .a)
        #expect(refused.responseCode.description == "REFUSED")
    }

    @Test("the TC bit of a truncated UDP answer is seen")
    func truncatedFlag() throws {
        let message = try parse(Self.truncatedTXT)
        #expect(message.header.isTruncated)
        #expect(message.answers.isEmpty)
        #expect(try !parse(Self.txtRecord).header.isTruncated)
    }

    /// Two MX answers built by hand: the owners point at the question, the first exchange
    /// ends in a pointer to the question, the second points at the first exchange, which
    /// itself ends in a pointer: a two-hop chain inside RDATA.
    static let compressedMX: [UInt8] = [
        0x00, 0x01, 0x81, 0x80, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
        // 12: example.com MX IN
        0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x03, 0x63, 0x6f, 0x6d, 0x00, 0x00, 0x0f, 0x00, 0x01,
        // 29: owner -> 12, MX IN, TTL 3600, RDLENGTH 9
        0xc0, 0x0c, 0x00, 0x0f, 0x00, 0x01, 0x00, 0x00, 0x0e, 0x10, 0x00, 0x09,
        // 41: preference 10, 43: "mail", 48: -> 12
        0x00, 0x0a, 0x04, 0x6d, 0x61, 0x69, 0x6c, 0xc0, 0x0c,
        // 50: owner -> 12, MX IN, TTL 60, RDLENGTH 11
        0xc0, 0x0c, 0x00, 0x0f, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x0b,
        // 62: preference 20, 64: "backup", 71: -> 43 (mail.example.com)
        0x00, 0x14, 0x06, 0x62, 0x61, 0x63, 0x6b, 0x75, 0x70, 0xc0, 0x2b,
    ]

    @Test("compression pointers in owner names and RDATA, including a pointer to a name that ends in a pointer")
    func compressionInRData() throws {
        let result = try summary(Self.compressedMX, "EXAMPLE.com", .mx)
        #expect(result.answers == ["10 mail.example.com", "20 backup.mail.example.com"])
        #expect(result.minimumTTL == 60)
    }

    static func header(questions: UInt8 = 1, answers: UInt8 = 0) -> [UInt8] {
        [0x00, 0x01, 0x81, 0x80, 0x00, questions, 0x00, answers, 0x00, 0x00, 0x00, 0x00]
    }

    @Test("compression loops are rejected: a pointer to itself, a label followed by a pointer back to it, a forward pointer")
    func pointerLoops() {
        #expect(throws: DNSParseError.pointerLoop(offset: 12, target: 12)) {
            try DNSMessage(parsing: Self.header() + [0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01])
        }
        #expect(throws: DNSParseError.pointerLoop(offset: 14, target: 12)) {
            try DNSMessage(parsing: Self.header() + [0x01, 0x61, 0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01])
        }
        #expect(throws: DNSParseError.pointerLoop(offset: 12, target: 14)) {
            try DNSMessage(parsing: Self.header() + [0xc0, 0x0e, 0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01])
        }
    }

    @Test("pointers past the end are rejected, in the question and inside RDATA")
    func pointerPastEnd() {
        #expect(throws: DNSParseError.pointerOutOfBounds(offset: 12, target: 0x3fff)) {
            try DNSMessage(parsing: Self.header() + [0xff, 0xff, 0x00, 0x01, 0x00, 0x01])
        }
        var damaged = Self.cnameChain
        damaged[45] = 0x7f  // the A record's owner pointer, 0xc024 -> 0xc07f
        #expect(throws: DNSParseError.pointerOutOfBounds(offset: 44, target: 0x7f)) {
            try DNSMessage(parsing: damaged)
        }
    }

    @Test("every proper prefix of every recorded message is reported as truncated, never a crash")
    func truncatedMessages() {
        for message in Self.allRecorded {
            for length in 0..<message.count {
                #expect(throws: DNSParseError.self, "prefix of \(length) bytes") {
                    try DNSMessage(parsing: Array(message.prefix(length)))
                }
            }
        }
        #expect(throws: DNSParseError.truncated(offset: 0)) { try DNSMessage(parsing: []) }
        // RDLENGTH says 4 bytes of address follow, but only 2 do.
        #expect(throws: DNSParseError.truncated(offset: 36)) { try DNSMessage(parsing: Array(Self.aRecord.prefix(38))) }
    }

    @Test("malformed names and RDATA: reserved label types, 256-byte names, RDATA lengths that do not fit the type")
    func malformedNamesAndData() {
        #expect(throws: DNSParseError.badLabelType(offset: 12)) {
            try DNSMessage(parsing: Self.header() + [0x41, 0x00, 0x00, 0x01, 0x00, 0x01])
        }
        let label: [UInt8] = [63] + Array(repeating: UInt8(ascii: "x"), count: 63)
        let longName = Array(Array(repeating: label, count: 5).joined()) + [0]
        #expect(throws: DNSParseError.nameTooLong(offset: 12)) {
            try DNSMessage(parsing: Self.header() + longName + [0x00, 0x01, 0x00, 0x01])
        }
        var shortA = Self.aRecord
        shortA[35] = 0x03  // RDLENGTH 4 -> 3
        #expect(throws: DNSParseError.badRecordData(type: .a, offset: 36)) { try DNSMessage(parsing: shortA) }
        var overlongTXT = Self.txtRecord
        overlongTXT[36] = 0x0c  // first string claims one byte more than there is before the second
        #expect(throws: DNSParseError.self) { try DNSMessage(parsing: overlongTXT) }
        var shortCNAME = Self.cnameChain
        shortCNAME[35] = 0x07  // the CNAME target runs one byte past its RDATA
        #expect(throws: DNSParseError.badRecordData(type: .cname, offset: 36)) { try DNSMessage(parsing: shortCNAME) }
        var shortSOA = Self.soaRecord
        shortSOA[41] = 0x31  // SOA RDATA one byte short of its 20 bytes of numbers
        #expect(throws: DNSParseError.self) { try DNSMessage(parsing: shortSOA) }
    }

    @Test("a query encodes byte for byte as RFC 1035 says, with and without an EDNS0 OPT record")
    func queryEncoding() throws {
        let question = DNSQuestion(name: try #require(DNSName(text: "a.test")), type: .a, recordClass: .internet)
        let plain = DNSMessage.query(id: 0x1234, question: question).encoded()
        #expect(plain == [
            0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x01, 0x61, 0x04, 0x74, 0x65, 0x73, 0x74, 0x00, 0x00, 0x01, 0x00, 0x01,
        ])
        let edns = DNSMessage.query(id: 0x1234, question: question, ednsPayloadSize: 1232).encoded()
        #expect(edns[10...11] == [0x00, 0x01])
        #expect(Array(edns.suffix(11)) == [0x00, 0x00, 0x29, 0x04, 0xd0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00])
        let reparsed = try parse(edns)
        #expect(reparsed.optRecord?.recordClass.rawValue == 1232)
        #expect(reparsed.questions == [question])
    }

    @Test("an OPT record extends the rcode to twelve bits")
    func extendedRcode() throws {
        var message = DNSMessage(header: DNSHeader(id: 7))
        message.header.isResponse = true
        message.header.responseCode = 0
        message.additionals = [DNSResourceRecord(name: .root, type: .opt, recordClass: DNSRecordClass(rawValue: 512), ttl: 1 << 24, data: .other([]))]
        #expect(try parse(message.encoded()).responseCode.description == "BADVERS")
    }

    @Test("decoded messages encode and decode to themselves")
    func roundTrip() throws {
        for bytes in Self.allRecorded + [Self.compressedMX] {
            let message = try parse(bytes)
            #expect(try parse(message.encoded()) == message)
        }
    }

    @Test("mutated and random bytes never crash the parser, and whatever parses round-trips")
    func fuzz() {
        var generator = DNSFuzzGenerator(seed: 0x5EED_D15C)
        var parsed = 0
        var rejected = 0
        func check(_ bytes: [UInt8]) {
            do {
                let message = try DNSMessage(parsing: bytes)
                parsed += 1
                #expect((try? DNSMessage(parsing: message.encoded())) == message)
            } catch {
                rejected += 1
            }
            _ = DNSQuery(question: DNSQuestion(name: .root, type: .a, recordClass: .internet), id: 0x1234).classify(bytes)
        }
        for original in Self.allRecorded + [Self.compressedMX] {
            for _ in 0..<1_500 {
                var bytes = original
                for _ in 0...generator.next(upperBound: 4) {
                    bytes[generator.next(upperBound: bytes.count)] = UInt8(truncatingIfNeeded: generator.next())
                }
                if generator.next(upperBound: 4) == 0 { bytes = Array(bytes.prefix(generator.next(upperBound: bytes.count + 1))) }
                check(bytes)
            }
        }
        for _ in 0..<5_000 {
            check((0..<generator.next(upperBound: 600)).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
        }
        // Both outcomes must occur, or the mutations are not reaching the interesting paths.
        #expect(parsed > 1_000)
        #expect(rejected > 1_000)
    }

    static var allRecorded: [[UInt8]] {
        [
            aRecord, aaaaRecord, mxRecord, txtRecord, srvRecord, cnameChain, ptrRecord, ptr6Record, soaRecord, nsRecord,
            nxdomain, refused, truncatedTXT, chaosVersion,
        ]
    }

    // MARK: answers recorded from dnsmasq 2.90

    /// a.test A
    static let aRecord: [UInt8] = [
        0x12, 0x34, 0x85, 0x80, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x61, 0x04, 0x74,
        0x65, 0x73, 0x74, 0x00, 0x00, 0x01, 0x00, 0x01, 0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
        0x01, 0x2c, 0x00, 0x04, 0xc0, 0x00, 0x02, 0x01,
    ]

    /// h.test AAAA
    static let aaaaRecord: [UInt8] = [
        0x12, 0x34, 0x85, 0x80, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x68, 0x04, 0x74,
        0x65, 0x73, 0x74, 0x00, 0x00, 0x1c, 0x00, 0x01, 0xc0, 0x0c, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00,
        0x01, 0x2c, 0x00, 0x10, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x07,
    ]

    /// mx.test MX
    static let mxRecord: [UInt8] = [
        0x12, 0x34, 0x85, 0x80, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x02, 0x6d, 0x78, 0x04,
        0x74, 0x65, 0x73, 0x74, 0x00, 0x00, 0x0f, 0x00, 0x01, 0xc0, 0x0c, 0x00, 0x0f, 0x00, 0x01, 0x00,
        0x00, 0x01, 0x2c, 0x00, 0x10, 0x00, 0x0a, 0x04, 0x6d, 0x61, 0x69, 0x6c, 0x02, 0x6d, 0x78, 0x04,
        0x74, 0x65, 0x73, 0x74, 0x00,
    ]

    /// t.test TXT (two strings)
    static let txtRecord: [UInt8] = [
        0x12, 0x34, 0x85, 0x80, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x74, 0x04, 0x74,
        0x65, 0x73, 0x74, 0x00, 0x00, 0x10, 0x00, 0x01, 0xc0, 0x0c, 0x00, 0x10, 0x00, 0x01, 0x00, 0x00,
        0x01, 0x2c, 0x00, 0x13, 0x0b, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x20, 0x77, 0x6f, 0x72, 0x6c, 0x64,
        0x06, 0x73, 0x65, 0x63, 0x6f, 0x6e, 0x64,
    ]

    /// _sip._udp.s.test SRV
    static let srvRecord: [UInt8] = [
        0x12, 0x34, 0x85, 0x80, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x04, 0x5f, 0x73, 0x69,
        0x70, 0x04, 0x5f, 0x75, 0x64, 0x70, 0x01, 0x73, 0x04, 0x74, 0x65, 0x73, 0x74, 0x00, 0x00, 0x21,
        0x00, 0x01, 0xc0, 0x0c, 0x00, 0x21, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2c, 0x00, 0x12, 0x00, 0x01,
        0x00, 0x02, 0x13, 0xc4, 0x03, 0x73, 0x69, 0x70, 0x01, 0x73, 0x04, 0x74, 0x65, 0x73, 0x74, 0x00,
    ]

    /// c.test A: CNAME h.test, then h.test A
    static let cnameChain: [UInt8] = [
        0x12, 0x34, 0x85, 0x80, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x63, 0x04, 0x74,
        0x65, 0x73, 0x74, 0x00, 0x00, 0x01, 0x00, 0x01, 0xc0, 0x0c, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00,
        0x01, 0x2c, 0x00, 0x08, 0x01, 0x68, 0x04, 0x74, 0x65, 0x73, 0x74, 0x00, 0xc0, 0x24, 0x00, 0x01,
        0x00, 0x01, 0x00, 0x00, 0x01, 0x2c, 0x00, 0x04, 0xc0, 0x00, 0x02, 0x07,
    ]

    /// 7.2.0.192.in-addr.arpa PTR
    static let ptrRecord: [UInt8] = [
        0x12, 0x34, 0x85, 0x80, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x37, 0x01, 0x32,
        0x01, 0x30, 0x03, 0x31, 0x39, 0x32, 0x07, 0x69, 0x6e, 0x2d, 0x61, 0x64, 0x64, 0x72, 0x04, 0x61,
        0x72, 0x70, 0x61, 0x00, 0x00, 0x0c, 0x00, 0x01, 0xc0, 0x0c, 0x00, 0x0c, 0x00, 0x01, 0x00, 0x00,
        0x01, 0x2c, 0x00, 0x08, 0x01, 0x68, 0x04, 0x74, 0x65, 0x73, 0x74, 0x00,
    ]

    /// ip6.arpa name of 2001:db8::7 PTR
    static let ptr6Record: [UInt8] = [
        0x12, 0x34, 0x85, 0x80, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x37, 0x01, 0x30,
        0x01, 0x30, 0x01, 0x30, 0x01, 0x30, 0x01, 0x30, 0x01, 0x30, 0x01, 0x30, 0x01, 0x30, 0x01, 0x30,
        0x01, 0x30, 0x01, 0x30, 0x01, 0x30, 0x01, 0x30, 0x01, 0x30, 0x01, 0x30, 0x01, 0x30, 0x01, 0x30,
        0x01, 0x30, 0x01, 0x30, 0x01, 0x30, 0x01, 0x30, 0x01, 0x30, 0x01, 0x30, 0x01, 0x38, 0x01, 0x62,
        0x01, 0x64, 0x01, 0x30, 0x01, 0x31, 0x01, 0x30, 0x01, 0x30, 0x01, 0x32, 0x03, 0x69, 0x70, 0x36,
        0x04, 0x61, 0x72, 0x70, 0x61, 0x00, 0x00, 0x0c, 0x00, 0x01, 0xc0, 0x0c, 0x00, 0x0c, 0x00, 0x01,
        0x00, 0x00, 0x01, 0x2c, 0x00, 0x09, 0x02, 0x68, 0x36, 0x04, 0x74, 0x65, 0x73, 0x74, 0x00,
    ]

    /// z.test SOA from an auth zone, with an NS record in the authority section
    static let soaRecord: [UInt8] = [
        0x12, 0x34, 0x85, 0x80, 0x00, 0x01, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x01, 0x7a, 0x04, 0x74,
        0x65, 0x73, 0x74, 0x00, 0x00, 0x06, 0x00, 0x01, 0x01, 0x7a, 0x04, 0x74, 0x65, 0x73, 0x74, 0x00,
        0x00, 0x06, 0x00, 0x01, 0x00, 0x00, 0x03, 0x84, 0x00, 0x32, 0x02, 0x6e, 0x73, 0x01, 0x7a, 0x04,
        0x74, 0x65, 0x73, 0x74, 0x00, 0x0a, 0x68, 0x6f, 0x73, 0x74, 0x6d, 0x61, 0x73, 0x74, 0x65, 0x72,
        0x01, 0x7a, 0x04, 0x74, 0x65, 0x73, 0x74, 0x00, 0x78, 0xa3, 0xf1, 0x75, 0x00, 0x00, 0x04, 0xb0,
        0x00, 0x00, 0x00, 0x78, 0x00, 0x09, 0x3a, 0x80, 0x00, 0x00, 0x03, 0x84, 0xc0, 0x18, 0x00, 0x02,
        0x00, 0x01, 0x00, 0x00, 0x03, 0x84, 0x00, 0x0b, 0x02, 0x6e, 0x73, 0x01, 0x7a, 0x04, 0x74, 0x65,
        0x73, 0x74, 0x00,
    ]

    /// z.test NS
    static let nsRecord: [UInt8] = [
        0x12, 0x34, 0x85, 0x80, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x7a, 0x04, 0x74,
        0x65, 0x73, 0x74, 0x00, 0x00, 0x02, 0x00, 0x01, 0x01, 0x7a, 0x04, 0x74, 0x65, 0x73, 0x74, 0x00,
        0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0x03, 0x84, 0x00, 0x0b, 0x02, 0x6e, 0x73, 0x01, 0x7a, 0x04,
        0x74, 0x65, 0x73, 0x74, 0x00,
    ]

    /// nope.z.test A: NXDOMAIN
    static let nxdomain: [UInt8] = [
        0x12, 0x34, 0x81, 0x83, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x6e, 0x6f, 0x70,
        0x65, 0x01, 0x7a, 0x04, 0x74, 0x65, 0x73, 0x74, 0x00, 0x00, 0x01, 0x00, 0x01,
    ]

    /// nope.test A outside every local zone with --no-resolv: REFUSED
    static let refused: [UInt8] = [
        0x12, 0x34, 0x81, 0x85, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x6e, 0x6f, 0x70,
        0x65, 0x04, 0x74, 0x65, 0x73, 0x74, 0x00, 0x00, 0x01, 0x00, 0x01,
    ]

    /// big.test TXT over UDP: 900 bytes of TXT do not fit 512, so TC and no answers
    static let truncatedTXT: [UInt8] = [
        0x12, 0x34, 0x87, 0x80, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x62, 0x69, 0x67,
        0x04, 0x74, 0x65, 0x73, 0x74, 0x00, 0x00, 0x10, 0x00, 0x01,
    ]

    /// version.bind TXT CH
    static let chaosVersion: [UInt8] = [
        0x12, 0x34, 0x85, 0x80, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x07, 0x76, 0x65, 0x72,
        0x73, 0x69, 0x6f, 0x6e, 0x04, 0x62, 0x69, 0x6e, 0x64, 0x00, 0x00, 0x10, 0x00, 0x03, 0xc0, 0x0c,
        0x00, 0x10, 0x00, 0x03, 0x00, 0x00, 0x01, 0x2c, 0x00, 0x0d, 0x0c, 0x64, 0x6e, 0x73, 0x6d, 0x61,
        0x73, 0x71, 0x2d, 0x32, 0x2e, 0x39, 0x30,
    ]
}
