import NoitCore
import Testing

@testable import CheckModules

/// The dns module against a real dnsmasq on loopback.
@Suite("dns against a real dnsmasq")
struct DNSModuleTests {
    static let bigStrings = (0..<5).map { String(repeating: "x\($0)", count: 90) }

    /// Local records (TTL 321) and an authoritative zone z.test (TTL 900). The auth-server
    /// address only names the zone's server; dnsmasq does not listen there, and queries to
    /// 127.0.0.1 for z.test are still answered from the zone.
    static let records = [
        "--local-ttl=321",
        "--address=/a.test/192.0.2.1",
        "--host-record=h.test,192.0.2.7,2001:db8::7",
        "--mx-host=mx.test,mail.mx.test,10",
        "--mx-host=mx.test,backup.mx.test,20",
        "--txt-record=t.test,hello world,second",
        "--srv-host=_sip._udp.s.test,sip.s.test,5060,1,2",
        "--cname=c.test,h.test",
        "--ptr-record=7.2.0.192.in-addr.arpa,h.test",
        "--ptr-record=7.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa,h6.test",
        "--txt-record=big.test," + bigStrings.joined(separator: ","),
        "--auth-zone=z.test",
        "--auth-server=ns.z.test,192.0.2.53",
        "--auth-soa=2024010101,hostmaster.z.test,1200,120,604800",
        "--auth-ttl=900",
    ]

    func run(_ server: DNSMasqServer, target: String, _ config: [String: String] = [:]) async -> CheckResult {
        await DNSTestRunner.run(DNSTestRunner.check(port: server.port, target: target, config))
    }

    func metric(_ result: CheckResult, _ name: String) -> MetricValue? {
        DNSTestRunner.metric(result, name)
    }

    @Test("every supported rtype is asked and its answers, TTL and rcode reported")
    func recordTypes() async throws {
        let server = try await DNSMasqServer.start(records: Self.records)
        defer { server.stop() }
        let cases: [(target: String, config: [String: String], answer: String, ttl: Int32)] = [
            ("a.test", [:], "192.0.2.1", 321),
            ("h.test", ["rtype": "A"], "192.0.2.7", 321),
            ("h.test", ["rtype": "AAAA"], "2001:db8::7", 321),
            ("mx.test", ["rtype": "MX"], "10 mail.mx.test, 20 backup.mx.test", 321),
            ("t.test", ["rtype": "TXT"], "hello worldsecond", 321),
            ("_sip._udp.s.test", ["rtype": "SRV"], "1 2 5060 sip.s.test", 321),
            ("z.test", ["rtype": "NS"], "ns.z.test", 900),
            ("c.test", ["rtype": "CNAME"], "h.test", 321),
            ("192.0.2.7", ["rtype": "PTR"], "h.test", 321),
            ("unused.test", ["rtype": "ptr", "query": "2001:db8::7"], "h6.test", 321),
            ("unused.test", ["query": "a.test"], "192.0.2.1", 321),
        ]
        for (target, config, answer, ttl) in cases {
            let result = await run(server, target: target, config)
            let label = "\(target) \(config)"
            #expect(result.availability == .available, "\(label): \(result.status)")
            #expect(result.state == .good, "\(label): \(result.status)")
            #expect(metric(result, "answer") == .string(answer), "\(label)")
            #expect(metric(result, "ttl") == .int32(ttl), "\(label)")
            #expect(metric(result, "rcode") == .string("NOERROR"), "\(label)")
            #expect(metric(result, "truncated") == .int32(0), "\(label)")
            let rtt = try #require(metric(result, "rtt")?.doubleValue, "\(label)")
            #expect(rtt > 0 && rtt < 5_000, "\(label)")
        }
    }

    @Test("a CNAME is followed: the answer is the canonical name's address, cname the canonical name")
    func cnameChain() async throws {
        let server = try await DNSMasqServer.start(records: Self.records)
        defer { server.stop() }
        let result = await run(server, target: "c.test")
        #expect(result.state == .good, "\(result.status)")
        #expect(metric(result, "answer") == .string("192.0.2.7"))
        #expect(metric(result, "cname") == .string("h.test"))
        let direct = await run(server, target: "h.test")
        #expect(metric(direct, "cname") == .null(.string))
    }

    @Test("SOA from an authoritative zone reports every SOA field")
    func soa() async throws {
        let server = try await DNSMasqServer.start(records: Self.records)
        defer { server.stop() }
        let result = await run(server, target: "z.test", ["rtype": "SOA"])
        #expect(result.state == .good, "\(result.status)")
        #expect(metric(result, "soa_mname") == .string("ns.z.test"))
        #expect(metric(result, "soa_rname") == .string("hostmaster.z.test"))
        #expect(metric(result, "soa_serial") == .uint32(2_024_010_101))
        #expect(metric(result, "soa_refresh") == .uint32(1200))
        #expect(metric(result, "soa_retry") == .uint32(120))
        #expect(metric(result, "soa_expire") == .uint32(604_800))
        #expect(metric(result, "soa_minimum") == .uint32(900))
        #expect(metric(result, "ttl") == .int32(900))
    }

    @Test("unknown names: NXDOMAIN inside the zone, REFUSED outside every local name (no upstream); both bad")
    func negativeAnswers() async throws {
        let server = try await DNSMasqServer.start(records: Self.records)
        defer { server.stop() }
        let nx = await run(server, target: "nope.z.test")
        #expect(nx.availability == .available)
        #expect(nx.state == .bad)
        #expect(metric(nx, "rcode") == .string("NXDOMAIN"))
        #expect(nx.status == "NXDOMAIN for nope.z.test A")
        #expect(metric(nx, "answer") == .null(.string))
        #expect(metric(nx, "ttl") == .null(.int32))

        let refused = await run(server, target: "nope.test")
        #expect(refused.availability == .available)
        #expect(refused.state == .bad)
        #expect(metric(refused, "rcode") == .string("REFUSED"))
        #expect(refused.status == "REFUSED for nope.test A")

        let noData = await run(server, target: "z.test")
        #expect(noData.state == .bad)
        #expect(metric(noData, "rcode") == .string("NOERROR"))
        #expect(noData.status == "NOERROR but no A answer for z.test")
    }

    @Test("a TXT too big for 512 bytes comes back truncated over UDP and whole over TCP")
    func tcpFallback() async throws {
        let server = try await DNSMasqServer.start(records: Self.records)
        defer { server.stop() }
        let result = await run(server, target: "big.test", ["rtype": "TXT"])
        #expect(result.state == .good, "\(result.status)")
        #expect(metric(result, "truncated") == .int32(1))
        #expect(metric(result, "answer") == .string(Self.bigStrings.joined()))
        #expect(metric(result, "ttl") == .int32(321))
    }

    @Test("class CH: dnsmasq answers version.bind TXT with its version")
    func chaosClass() async throws {
        let server = try await DNSMasqServer.start(records: Self.records)
        defer { server.stop() }
        let result = await run(server, target: "version.bind", ["rtype": "TXT", "ctype": "CH"])
        #expect(result.state == .good, "\(result.status)")
        guard case .string(let version) = try #require(metric(result, "answer")) else {
            Issue.record("answer is not a string")
            return
        }
        #expect(version.hasPrefix("dnsmasq-"))
    }

    @Test("the helper's dnsmasq is really gone after stop()")
    func stopsDnsmasq() async throws {
        let server = try await DNSMasqServer.start(records: Self.records)
        let port = server.port
        server.stop()
        let result = await DNSTestRunner.run(DNSTestRunner.check(port: port))
        #expect(result.status == "port unreachable")
    }
}
