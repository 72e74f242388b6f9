import Foundation
import Logging
import NIOPosix
import NoitCore
import NoitTestSupport
import Testing

@testable import CheckModules

@Suite("tcp against real loopback listeners")
struct TCPModuleTests {
    let registry = ModuleRegistry.standard(
        environment: ModuleEnvironment(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: Logger(label: "test")))

    /// The default timeout (the connect deadline) is one only a hang reaches (60 s; a starved
    /// test process can stall for 20 s).
    func check(port: Int, timeout: Int64 = 60_000, _ config: [String: String] = [:]) -> CheckDefinition {
        var merged = config
        merged["port"] = String(port)
        return CheckDefinition(
            uuid: UUID(), module: "tcp", target: "127.0.0.1", periodMilliseconds: 10_000,
            timeoutMilliseconds: timeout, config: merged)
    }

    func metric(_ result: CheckResult, _ name: String) -> MetricValue? {
        result.metrics.first { $0.name == name }?.value
    }

    @Test("plain connect is available and good with connect time and duration")
    func plainConnect() async throws {
        let server = try await LoopbackServer(behavior: .silent)
        defer { Task { await server.close() } }
        let result = await registry.run(check(port: server.port))
        #expect(result.availability == .available)
        #expect(result.state == .good)
        #expect(result.status.hasPrefix("connected in "))
        let connect = try #require(metric(result, "tt_connect")?.doubleValue)
        let duration = try #require(metric(result, "duration")?.doubleValue)
        #expect(connect >= 0 && connect <= duration)
        #expect(metric(result, "banner") == nil)
    }

    @Test("a named target is resolved (off the loop) and connected, directly and through the scheduler")
    func namedTarget() async throws {
        let server = try await LoopbackServer(behavior: .silent)
        defer { Task { await server.close() } }
        var definition = check(port: server.port)
        // /etc/hosts names it, so no DNS server is involved; ::1 (if listed first) is refused
        // by the IPv4-only listener and the next address is tried.
        definition.target = "localhost"
        let result = await registry.run(definition)
        #expect(result.state == .good, "\(result.status)")
        #expect(result.status.hasPrefix("connected in "))
        let scheduled = try await ScheduledRun.firstResult(of: definition, registry: registry, loopDriven: true)
        #expect(scheduled.result.state == .good, "\(scheduled.result.status)")
    }

    @Test("a banner is read and matched")
    func bannerMatch() async throws {
        let server = try await LoopbackServer(behavior: .banner("SSH-2.0-OpenSSH_9.2p1 Debian\r\nmore"))
        defer { Task { await server.close() } }
        let good = await registry.run(check(port: server.port, ["banner_match": "^SSH-2\\.0-"]))
        #expect(good.state == .good)
        #expect(metric(good, "banner") == .string("SSH-2.0-OpenSSH_9.2p1 Debian"))
        #expect(metric(good, "banner_match") == .string("yes"))
        #expect(metric(good, "tt_firstbyte")?.doubleValue != nil)

        let bad = await registry.run(check(port: server.port, ["banner_match": "^220 "]))
        #expect(bad.availability == .available)
        #expect(bad.state == .bad)
        #expect(bad.status == "banner did not match")
        #expect(metric(bad, "banner_match") == .string("no"))
    }

    @Test("a banner cut at banner_limit")
    func bannerLimit() async throws {
        let server = try await LoopbackServer(behavior: .banner(String(repeating: "x", count: 5_000)))
        defer { Task { await server.close() } }
        let result = await registry.run(check(port: server.port, ["read_banner": "true", "banner_limit": "16"]))
        #expect(metric(result, "banner") == .string(String(repeating: "x", count: 16)))
    }

    @Test("a peer that closes before sending a banner fails the check")
    func closedBeforeBanner() async throws {
        let server = try await LoopbackServer(behavior: .closeImmediately)
        defer { Task { await server.close() } }
        let result = await registry.run(check(port: server.port, ["read_banner": "yes"]))
        #expect(result.state == .bad)
        #expect(result.status == "connection closed before a banner")
    }

    @Test("TLS reports the certificate subject, issuer and seconds to expiry")
    func tlsCertificate() async throws {
        let ca = try TestCertificateAuthority()
        let leaf = try ca.issue(commonName: "svc.test", validUntil: Date().addingTimeInterval(86_400 * 10))
        let server = try await LoopbackServer(behavior: .banner("220 svc.test ESMTP\r\n"), tls: try leaf.serverContext())
        defer { Task { await server.close() } }
        let result = await registry.run(check(port: server.port, ["use_ssl": "true", "banner_match": "^220"]))
        #expect(result.state == .good, "\(result.status)")
        #expect(metric(result, "cert_subject") == .string("O=Reconnoiter Swift Tests,CN=svc.test"))
        #expect(metric(result, "cert_issuer") == .string("O=Reconnoiter Swift Tests,CN=Noit Test CA"))
        guard case .int64(let endIn) = try #require(metric(result, "cert_end_in")) else {
            Issue.record("cert_end_in is not an int64")
            return
        }
        #expect(abs(endIn - 86_400 * 10) < 120)
        #expect(metric(result, "tt_ssl")?.doubleValue != nil)
    }

    @Test("ssl_verify against the right CA passes, against the system store fails")
    func tlsVerification() async throws {
        let ca = try TestCertificateAuthority()
        let leaf = try ca.issue(commonName: "localhost")
        let server = try await LoopbackServer(behavior: .silent, tls: try leaf.serverContext())
        defer { Task { await server.close() } }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let caPath = try ca.writeCertificate(to: directory)

        let trusted = await registry.run(
            check(port: server.port, ["use_ssl": "true", "ssl_verify": "true", "ca_chain": caPath, "sni_name": "localhost"]))
        #expect(trusted.state == .good, "\(trusted.status)")

        let untrusted = await registry.run(check(port: server.port, ["use_ssl": "true", "ssl_verify": "true", "sni_name": "localhost"]))
        #expect(untrusted.state == .bad)
        #expect(untrusted.availability == .available)
        #expect(untrusted.status.hasPrefix("TLS handshake failed"))
    }

    @Test("an expired certificate makes the check bad, with a negative cert_end_in")
    func expiredCertificate() async throws {
        let ca = try TestCertificateAuthority()
        let leaf = try ca.issue(
            commonName: "old.test", validFrom: Date().addingTimeInterval(-86_400 * 60),
            validUntil: Date().addingTimeInterval(-86_400))
        let server = try await LoopbackServer(behavior: .silent, tls: try leaf.serverContext())
        defer { Task { await server.close() } }
        let result = await registry.run(check(port: server.port, ["use_ssl": "true"]))
        #expect(result.state == .bad)
        #expect(result.status == "certificate expired")
        guard case .int64(let endIn) = try #require(metric(result, "cert_end_in")) else {
            Issue.record("cert_end_in is not an int64")
            return
        }
        #expect(endIn < -86_000)
    }

    @Test("a refused port is unavailable with status 'connection refused'")
    func refusedPort() async throws {
        let port = try await LoopbackServer.closedPort()
        let result = await registry.run(check(port: port))
        #expect(result.availability == .unavailable)
        #expect(result.state == .bad)
        #expect(result.status == "connection refused")
    }

    @Test("cancelling a run that waits for a banner returns promptly")
    func cancellation() async throws {
        let server = try await LoopbackServer(behavior: .silent)
        defer { Task { await server.close() } }
        let registry = self.registry
        let definition = check(port: server.port, timeout: 60_000, ["read_banner": "true"])
        let task = Task { await registry.run(definition) }
        task.cancel()
        let result = await task.value
        #expect(result.state == .bad)
    }

    @Test("the registry refuses an unknown module without crashing")
    func unknownModule() async {
        let result = await registry.run(
            CheckDefinition(uuid: UUID(), module: "nope", target: "x", periodMilliseconds: 1_000, timeoutMilliseconds: 500))
        #expect(result.status == "unknown module 'nope'")
    }

    @Test("tcp declares its parameters so bad configs are refused")
    func descriptorValidation() {
        let descriptor = TCPModule.descriptor
        #expect(descriptor.problems(in: ["port": "22"]).isEmpty)
        #expect(descriptor.problems(in: [:]) == [.missingRequired("port")])
        #expect(descriptor.problems(in: ["port": "70000"]).count == 1)
        #expect(descriptor.problems(in: ["port": "22", "use_ssl": "maybe"]).count == 1)
        #expect(descriptor.problems(in: ["port": "22", "bogus": "1"]).count == 1)
    }
}
