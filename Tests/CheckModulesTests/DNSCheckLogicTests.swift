import Foundation
import NoitCore
import Testing

@testable import CheckModules

/// Config reading, reply matching and result building, without sockets.
@Suite("dns check logic")
struct DNSCheckLogicTests {
    func check(target: String = "www.example.com", _ config: [String: String] = [:]) -> CheckDefinition {
        CheckDefinition(
            uuid: UUID(), module: "dns", target: target, periodMilliseconds: 60_000, timeoutMilliseconds: 5_000,
            config: DNSModule.descriptor.applyingDefaults(to: config))
    }

    func configuration(_ check: CheckDefinition) throws -> DNSCheckConfiguration {
        try DNSCheckConfiguration(check: check, defaultNameserver: { "192.0.2.53" })
    }

    func metric(_ result: CheckResult, _ name: String) -> MetricValue? {
        result.metrics.first { $0.name == name }?.value
    }

    @Test("defaults: the target is the name, A IN, port 53, the default nameserver")
    func defaults() throws {
        let configuration = try configuration(check())
        #expect(configuration.question.name.description == "www.example.com")
        #expect(configuration.question.type == .a)
        #expect(configuration.question.recordClass == .internet)
        #expect(configuration.port == 53)
        #expect(configuration.nameserver == "192.0.2.53")
    }

    @Test("query, nameserver, port, rtype and ctype override; mnemonics are case-insensitive")
    func overrides() throws {
        let configuration = try configuration(
            check(["query": "example.org", "nameserver": "198.51.100.1", "port": "5353", "rtype": "mx", "ctype": "ch"]))
        #expect(configuration.question.name.description == "example.org")
        #expect(configuration.question.type == .mx)
        #expect(configuration.question.recordClass == .chaos)
        #expect(configuration.port == 5353)
        #expect(configuration.nameserver == "198.51.100.1")
    }

    @Test("PTR turns an IP target or query into its reverse name; other names stay as they are")
    func ptrNames() throws {
        #expect(try configuration(check(target: "192.0.2.7", ["rtype": "PTR"])).question.name.description == "7.2.0.192.in-addr.arpa")
        #expect(
            try configuration(check(target: "ns.example", ["rtype": "PTR", "query": "2001:db8::1"])).question.name.description
                .hasSuffix("8.b.d.0.1.0.0.2.ip6.arpa"))
        #expect(
            try configuration(check(["rtype": "PTR", "query": "1.2.0.192.in-addr.arpa"])).question.name.description
                == "1.2.0.192.in-addr.arpa")
        #expect(try configuration(check(target: "192.0.2.7")).question.name.description == "192.0.2.7")
    }

    @Test("an unusable query name is a clear config failure")
    func invalidQuery() {
        #expect(throws: DNSConfigurationError(message: "invalid query name 'a..b'")) {
            try configuration(check(["query": "a..b"]))
        }
    }

    @Test("the default nameserver is the first nameserver line of resolv.conf, else 127.0.0.1")
    func resolvConf() throws {
        let text = """
            # generated
            ;nameserver 10.0.0.1
            search example.com
            nameserver\t2001:db8::53 # primary
            nameserver 192.0.2.1
            """
        #expect(DNSResolvConf.firstNameserver(in: text) == "2001:db8::53")
        #expect(DNSResolvConf.firstNameserver(in: "search x\n") == nil)
        #expect(DNSResolvConf.defaultNameserver(path: "/nonexistent/resolv.conf") == "127.0.0.1")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("resolv.conf")
        try "options ndots:2\nnameserver 198.51.100.7\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(DNSResolvConf.defaultNameserver(path: file.path) == "198.51.100.7")
    }

    @Test("the descriptor declares every key; bad rtype, ctype, port and unknown keys are refused")
    func descriptor() {
        let descriptor = DNSModule.descriptor
        #expect(descriptor.name == "dns")
        #expect(descriptor.problems(in: [:]).isEmpty)
        #expect(
            descriptor.problems(in: ["nameserver": "::1", "port": "53", "rtype": "SOA", "ctype": "IN", "query": "x.test"])
                .isEmpty)
        #expect(descriptor.problems(in: ["rtype": "srv", "ctype": "hs"]).isEmpty)
        #expect(descriptor.problems(in: ["rtype": "ANY"]).count == 1)
        #expect(descriptor.problems(in: ["ctype": "NONE"]).count == 1)
        #expect(descriptor.problems(in: ["port": "0"]).count == 1)
        #expect(descriptor.problems(in: ["nameserver": "a b"]).count == 1)
        #expect(descriptor.problems(in: ["want_answer": "1"]).count == 1)
        #expect(descriptor.applyingDefaults(to: [:]) == ["port": "53", "rtype": "A", "ctype": "IN"])
        #expect(descriptor.parameter(forKey: "query")?.help.contains("target") == true)
    }

    // MARK: reply matching

    func answer(to query: DNSQuery, _ edit: (inout DNSMessage) -> Void = { _ in }) -> [UInt8] {
        var message = query.message
        message.header.isResponse = true
        message.answers = [
            DNSResourceRecord(name: query.question.name, type: .a, recordClass: .internet, ttl: 60, data: .a([192, 0, 2, 9]))
        ]
        edit(&message)
        return message.encoded()
    }

    var query: DNSQuery {
        DNSQuery(question: DNSQuestion(name: DNSName(text: "Www.Example.com")!, type: .a, recordClass: .internet), id: 0xBEEF)
    }

    @Test("the answer is recognised by id and question, the question's case notwithstanding")
    func matchingReply() {
        guard case .reply(let message) = query.classify(answer(to: query) { $0.questions[0].name = DNSName(text: "www.EXAMPLE.com")! })
        else {
            Issue.record("a matching answer was not recognised")
            return
        }
        #expect(message.answers.count == 1)
    }

    @Test("other ids, other questions, queries and short datagrams are stray")
    func strays() {
        let cases: [(String, [UInt8])] = [
            ("another id", answer(to: query) { $0.header.id = 0xBEEE }),
            ("another name", answer(to: query) { $0.questions[0].name = DNSName(text: "www.example.org")! }),
            ("another type", answer(to: query) { $0.questions[0].type = .aaaa }),
            ("another class", answer(to: query) { $0.questions[0].recordClass = .chaos }),
            ("a query, not a response", answer(to: query) { $0.header.isResponse = false }),
            ("two questions", answer(to: query) { $0.questions.append($0.questions[0]) }),
            ("no question with NOERROR", answer(to: query) { $0.questions = [] }),
            ("a short datagram", [0xBE, 0xEF, 0x81]),
        ]
        for (label, bytes) in cases {
            guard case .stray = query.classify(bytes) else {
                Issue.record("\(label) was not treated as stray")
                continue
            }
        }
    }

    @Test("an error response without a question is accepted; a matching message that does not parse is malformed")
    func errorsAndMalformed() {
        let formErr = answer(to: query) {
            $0.questions = []
            $0.answers = []
            $0.header.responseCode = 1
        }
        guard case .reply(let message) = query.classify(formErr) else {
            Issue.record("FORMERR without a question was not accepted")
            return
        }
        #expect(message.responseCode == .formatError)
        let cut = Array(answer(to: query).dropLast(2))
        guard case .malformed(let error) = query.classify(cut) else {
            Issue.record("a cut-off answer was not reported as malformed")
            return
        }
        #expect(error == .truncated(offset: cut.count - 2))
    }

    // MARK: results

    func lookup(_ bytes: [UInt8], usedTCP: Bool = false) throws -> DNSLookup {
        DNSLookup(outcome: .reply(try DNSMessage(parsing: bytes)), usedTCP: usedTCP, roundTripMilliseconds: 1.5)
    }

    func question(_ name: String, _ type: DNSRecordType) -> DNSQuestion {
        DNSQuestion(name: DNSName(text: name)!, type: type, recordClass: .internet)
    }

    @Test("a good answer: available, good, every metric typed as documented")
    func goodResult() throws {
        let result = DNSModule.result(
            of: try lookup(DNSCodecTests.cnameChain), question: question("c.test", .a), durationMilliseconds: 2)
        #expect(result.availability == .available)
        #expect(result.state == .good)
        #expect(result.status == "NOERROR: 1 A answer in 1.500 ms")
        #expect(metric(result, "rtt") == .double(1.5))
        #expect(metric(result, "answer") == .string("192.0.2.7"))
        #expect(metric(result, "ttl") == .int32(300))
        #expect(metric(result, "rcode") == .string("NOERROR"))
        #expect(metric(result, "cname") == .string("h.test"))
        #expect(metric(result, "truncated") == .int32(0))
        #expect(metric(result, "soa_serial") == nil)
    }

    @Test("several answers are sorted and joined; the ttl is the smallest")
    func sortedAnswers() throws {
        let result = DNSModule.result(
            of: try lookup(DNSCodecTests.compressedMX), question: question("example.com", .mx), durationMilliseconds: 2)
        #expect(metric(result, "answer") == .string("10 mail.example.com, 20 backup.mail.example.com"))
        #expect(metric(result, "ttl") == .int32(60))
        #expect(metric(result, "cname") == .null(.string))
        #expect(result.status.hasPrefix("NOERROR: 2 MX answers"))
    }

    @Test("SOA answers carry the SOA fields as metrics")
    func soaResult() throws {
        let result = DNSModule.result(of: try lookup(DNSCodecTests.soaRecord), question: question("z.test", .soa), durationMilliseconds: 1)
        #expect(result.state == .good)
        #expect(metric(result, "answer") == .string("2024010101"))
        #expect(metric(result, "soa_mname") == .string("ns.z.test"))
        #expect(metric(result, "soa_rname") == .string("hostmaster.z.test"))
        #expect(metric(result, "soa_serial") == .uint32(2_024_010_101))
        #expect(metric(result, "soa_refresh") == .uint32(1200))
        #expect(metric(result, "soa_retry") == .uint32(120))
        #expect(metric(result, "soa_expire") == .uint32(604_800))
        #expect(metric(result, "soa_minimum") == .uint32(900))
        #expect(metric(result, "ttl") == .int32(900))
    }

    @Test("NXDOMAIN and REFUSED are available but bad, with the rcode in the status; NOERROR without data is bad too")
    func badRcodes() throws {
        let nx = DNSModule.result(of: try lookup(DNSCodecTests.nxdomain), question: question("nope.z.test", .a), durationMilliseconds: 1)
        #expect(nx.availability == .available)
        #expect(nx.state == .bad)
        #expect(nx.status == "NXDOMAIN for nope.z.test A")
        #expect(metric(nx, "rcode") == .string("NXDOMAIN"))
        #expect(metric(nx, "answer") == .null(.string))
        #expect(metric(nx, "ttl") == .null(.int32))
        let refused = DNSModule.result(of: try lookup(DNSCodecTests.refused), question: question("nope.test", .a), durationMilliseconds: 1)
        #expect(refused.state == .bad)
        #expect(refused.status.hasPrefix("REFUSED"))
        let noData = DNSModule.result(of: try lookup(DNSCodecTests.aRecord), question: question("a.test", .aaaa), durationMilliseconds: 1)
        #expect(noData.state == .bad)
        #expect(noData.status == "NOERROR but no AAAA answer for a.test")
        let soaMissing = DNSModule.result(of: try lookup(DNSCodecTests.nxdomain), question: question("nope.z.test", .soa), durationMilliseconds: 1)
        #expect(metric(soaMissing, "soa_serial") == .null(.uint32))
    }

    @Test("failures: no answer is unavailable, a failed TCP retry and a malformed answer are available but bad")
    func failures() {
        let question = question("a.test", .a)
        let unreachable = DNSModule.result(
            of: DNSLookup(outcome: .failed("port unreachable"), usedTCP: false, roundTripMilliseconds: 0.2), question: question,
            durationMilliseconds: 1)
        #expect(unreachable.availability == .unavailable)
        #expect(unreachable.status == "port unreachable")
        let tcp = DNSModule.result(
            of: DNSLookup(outcome: .failed("TCP connection refused"), usedTCP: true, roundTripMilliseconds: 0.2), question: question,
            durationMilliseconds: 1)
        #expect(tcp.availability == .available)
        #expect(tcp.state == .bad)
        #expect(tcp.status == "answer truncated over UDP and the TCP retry failed: TCP connection refused")
        #expect(metric(tcp, "truncated") == .int32(1))
        let malformed = DNSModule.result(
            of: DNSLookup(outcome: .malformed(.pointerLoop(offset: 12, target: 12)), usedTCP: false, roundTripMilliseconds: 0.2),
            question: question, durationMilliseconds: 1)
        #expect(malformed.availability == .available)
        #expect(malformed.state == .bad)
        #expect(malformed.status == "malformed answer: compression pointer at byte 12 does not point backwards (to 12): loop")
        let cancelled = DNSModule.result(
            of: DNSLookup(outcome: .cancelled, usedTCP: false, roundTripMilliseconds: 0.2), question: question, durationMilliseconds: 1)
        #expect(cancelled.availability == .unavailable)
        #expect(cancelled.status == "cancelled")
    }
}
