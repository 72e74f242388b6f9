import Foundation
import NoitCore
import NoitTestSupport
import Testing

@testable import CheckModules

@Suite("https against a real loopback TLS server with a test CA")
struct HTTPTLSTests {
    let runner = HTTPCheckRunner()

    struct Fixture {
        let server: HTTPTestServer
        let caPath: String

        func url(host: String = "svc.test", _ path: String = "/") -> String { "https://\(host):\(server.port)\(path)" }
    }

    /// A TLS server whose certificate names `svc.test`, `localhost` and 127.0.0.1, and the CA file that trusts it.
    func makeFixture(validFrom: Date = Date().addingTimeInterval(-3600), validUntil: Date = Date().addingTimeInterval(86_400 * 10)) async throws -> Fixture {
        let ca = try TestCertificateAuthority()
        let leaf = try ca.issue(commonName: "svc.test", validFrom: validFrom, validUntil: validUntil)
        let server = try await HTTPTestServer(tls: try leaf.serverContext()) { _ in .full(status: 200, body: "secure hello") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("http-tls-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return Fixture(server: server, caPath: try ca.writeCertificate(to: directory))
    }

    func endIn(_ result: CheckResult) throws -> Int64 {
        guard case .int64(let seconds) = try #require(runner.metric(result, "cert_end_in")) else {
            Issue.record("cert_end_in is not an int64")
            return 0
        }
        return seconds
    }

    @Test("ca_chain verifies the server; cert metrics are reported; the URL host is sent as SNI and Host")
    func verified() async throws {
        let fixture = try await makeFixture()
        defer { Task { await fixture.server.close() } }
        let result = await runner.run(fixture.url("/page"), target: "127.0.0.1", ["ca_chain": fixture.caPath, "body": "secure"])
        #expect(result.state == .good, "\(result.status)")
        #expect(result.availability == .available)
        #expect(runner.metric(result, "code") == .string("200"))
        #expect(runner.metric(result, "cert_subject") == .string("O=Reconnoiter Swift Tests,CN=svc.test"))
        #expect(runner.metric(result, "cert_issuer") == .string("O=Reconnoiter Swift Tests,CN=Noit Test CA"))
        #expect(abs(try endIn(result) - 86_400 * 10) < 120)
        #expect(fixture.server.receivedRequests.first?.headers["Host"] == ["svc.test:\(fixture.server.port)"])
    }

    @Test("an IP literal URL verifies against the certificate's IP address")
    func ipLiteral() async throws {
        let fixture = try await makeFixture()
        defer { Task { await fixture.server.close() } }
        let result = await runner.run(fixture.url(host: "127.0.0.1"), ["ca_chain": fixture.caPath])
        #expect(result.state == .good, "\(result.status)")
    }

    @Test("without ca_chain the test CA is not trusted: bad, available, and no request was sent")
    func untrusted() async throws {
        let fixture = try await makeFixture()
        defer { Task { await fixture.server.close() } }
        let result = await runner.run(fixture.url(), ["auth_user": "u", "auth_password": "secret"])
        #expect(result.state == .bad)
        #expect(result.availability == .available)
        #expect(result.status == "TLS: certificate is not trusted (no chain to a trusted root)")
        #expect(runner.metric(result, "cert_subject") == .string("O=Reconnoiter Swift Tests,CN=svc.test"))
        #expect(runner.metric(result, "code") == .null(.string))
        #expect(fixture.server.receivedRequests.isEmpty)
    }

    @Test("insecure=true skips verification and is good")
    func insecure() async throws {
        let fixture = try await makeFixture()
        defer { Task { await fixture.server.close() } }
        let result = await runner.run(fixture.url(), ["insecure": "true"])
        #expect(result.state == .good, "\(result.status)")
        #expect(runner.metric(result, "cert_issuer") == .string("O=Reconnoiter Swift Tests,CN=Noit Test CA"))
        #expect(runner.metric(result, "cert_end_in") != nil)
    }

    @Test("an expired certificate is bad with a negative cert_end_in")
    func expired() async throws {
        let fixture = try await makeFixture(
            validFrom: Date().addingTimeInterval(-86_400 * 60), validUntil: Date().addingTimeInterval(-86_400))
        defer { Task { await fixture.server.close() } }
        let result = await runner.run(fixture.url(), ["ca_chain": fixture.caPath])
        #expect(result.state == .bad)
        #expect(result.availability == .available)
        #expect(result.status == "TLS: certificate has expired")
        #expect(try endIn(result) < -86_000)
    }

    @Test("a certificate for another name fails verification; sni_name can name the right one")
    func nameMismatch() async throws {
        let fixture = try await makeFixture()
        defer { Task { await fixture.server.close() } }
        let wrong = await runner.run(fixture.url(host: "other.test"), ["ca_chain": fixture.caPath])
        #expect(wrong.state == .bad)
        #expect(wrong.status == "TLS: certificate does not match other.test")
        let overridden = await runner.run(fixture.url(host: "other.test"), ["ca_chain": fixture.caPath, "sni_name": "svc.test"])
        #expect(overridden.state == .good, "\(overridden.status)")
    }

    @Test("a missing ca_chain file is a clear failure")
    func missingCAFile() async throws {
        let fixture = try await makeFixture()
        defer { Task { await fixture.server.close() } }
        let result = await runner.run(fixture.url(), ["ca_chain": "/nonexistent/ca.pem"])
        #expect(result.state == .bad)
        #expect(result.status == "TLS setup failed: cannot read ca_chain /nonexistent/ca.pem")
    }

    @Test("https to a plain HTTP server fails the handshake with a short reason")
    func tlsToPlain() async throws {
        let server = try await HTTPTestServer { _ in .full(status: 200) }
        defer { Task { await server.close() } }
        let result = await runner.run("https://127.0.0.1:\(server.port)/", ["insecure": "true"])
        #expect(result.availability == .unavailable)
        #expect(result.state == .bad)
        #expect(result.status.hasPrefix("TLS handshake failed: "), "\(result.status)")
        #expect(!result.status.contains(" at /"), "no source paths in \(result.status)")
    }

    @Test("plain HTTP to a TLS port fails cleanly")
    func plainToTLS() async throws {
        let fixture = try await makeFixture()
        defer { Task { await fixture.server.close() } }
        let result = await runner.run("http://127.0.0.1:\(fixture.server.port)/", timeout: 3_000)
        #expect(result.state == .bad)
        #expect(runner.metric(result, "code") == .null(.string))
    }
}
