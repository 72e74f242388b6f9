import Foundation
import Logging
import NIOPosix
import NoitConfig
import NoitTestSupport
import ServiceLifecycle
import Testing

@testable import NoitServer

/// The REST API on a TLS listener that demands client certificates, driven with curl over a
/// real socket: no certificate, a reader's and a writer's.
@Suite("REST API over TLS with client certificates")
struct RESTTLSTests {
    func curl(_ arguments: [String]) async throws -> Curl.Outcome {
        try await Curl.run(arguments)
    }

    @Test("reads need a certificate from the CA; writes need a CN in write_cn (403 otherwise); TLS 1.1 is refused")
    func clientCertificates() async throws {
        let fixture = try NodeFixture()
        defer { fixture.remove() }
        let authority = try TestCertificateAuthority()
        let caPath = try authority.writeCertificate(to: fixture.directory)
        func write(_ name: String, _ issued: IssuedCertificate) throws -> (String, String) {
            let cert = fixture.directory.appendingPathComponent("\(name).crt").path
            let key = fixture.directory.appendingPathComponent("\(name).key").path
            try issued.certificatePEM.write(toFile: cert, atomically: true, encoding: .utf8)
            try issued.privateKeyPEM.write(toFile: key, atomically: true, encoding: .utf8)
            return (cert, key)
        }
        let (serverCert, serverKey) = try write("server", try authority.issue(commonName: "localhost"))
        let (opsCert, opsKey) = try write("ops", try authority.issue(commonName: "ops"))
        let (readerCert, readerKey) = try write("reader", try authority.issue(commonName: "reader"))
        let outsider = try TestCertificateAuthority(commonName: "Someone Else")
        let (outsiderCert, outsiderKey) = try write("outsider", try outsider.issue(commonName: "ops"))

        let checkID = UUID()
        try fixture.writeConfig(
            checks: "<check uuid=\"\(checkID)\" module=\"selfcheck\"/>",
            listeners: """
                <listeners><listener type="http" address="127.0.0.1" port="0" ssl_cert="\(serverCert)" ssl_key="\(serverKey)"
                  ssl_ca="\(caPath)" write_cn="ops, deploy"/></listeners>
                """)
        let (addresses, continuation) = AsyncStream.makeStream(of: [String].self)
        let (node, services) = try await buildNoitServices(
            configPath: fixture.configPath, eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: Logger(label: "test"),
            onReady: { _, ready in continuation.yield(ready) })
        let group = ServiceGroup(configuration: .init(services: services, logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = addresses.makeAsyncIterator()
            let base = try #require(await iterator.next()?.first)
            #expect(base.hasPrefix("https://"))
            let url = base.replacingOccurrences(of: "127.0.0.1", with: "localhost")
            let tls = ["--cacert", caPath]

            // No client certificate: the handshake itself is refused.
            let anonymous = try await curl(tls + ["\(url)/checks/show"])
            #expect(anonymous.exitCode != 0)
            // A certificate from another CA, even with an allowed CN, is refused too.
            let foreign = try await curl(tls + ["--cert", outsiderCert, "--key", outsiderKey, "\(url)/checks/show"])
            #expect(foreign.exitCode != 0)

            let read = try await curl(tls + ["--cert", readerCert, "--key", readerKey, "\(url)/checks/show/\(checkID).json"])
            #expect(read.status == 200)
            #expect(read.body.contains(checkID.uuidString.lowercased()))

            let body = "<check><attributes><module>selfcheck</module><target>10.2.2.2</target></attributes></check>"
            let newID = UUID()
            let denied = try await curl(tls + ["--cert", readerCert, "--key", readerKey, "-X", "PUT", "-H", "Content-Type: application/xml", "--data-binary", body, "\(url)/checks/set/\(newID)"])
            #expect(denied.status == 403)
            #expect(denied.body.contains("client certificate CN 'reader' may not change checks"))
            let deniedDelete = try await curl(tls + ["--cert", readerCert, "--key", readerKey, "-X", "DELETE", "\(url)/checks/delete/\(checkID)"])
            #expect(deniedDelete.status == 403)
            #expect(await node.scheduler.contains(checkID))

            let allowed = try await curl(tls + ["--cert", opsCert, "--key", opsKey, "-X", "PUT", "-H", "Content-Type: application/xml", "--data-binary", body, "\(url)/checks/set/\(newID)"])
            #expect(allowed.status == 200)
            #expect(await node.scheduler.contains(newID))

            // TLS 1.2 or newer only: OpenSSL's client, allowed to offer TLS 1.1, is refused
            // (NIOSSL's default accepted it), with a valid client certificate either way.
            let port = try #require(base.split(separator: ":").last.map(String.init))
            func handshake(_ version: String) async throws -> (status: Int32, output: String) {
                let client = try ChildProcess(executable: "/bin/sh", arguments: ["-c", """
                    openssl s_client -connect 127.0.0.1:\(port) \(version) -cipher DEFAULT:@SECLEVEL=0 \
                      -cert '\(opsCert)' -key '\(opsKey)' -CAfile '\(caPath)' -brief < /dev/null 2>&1
                    """])
                let status = await client.waitForExit()
                return (status, client.output.joined(separator: "\n"))
            }
            let modern = try await handshake("-tls1_2")
            #expect(modern.status == 0 && modern.output.contains("Protocol version: TLSv1.2"), "\(modern.output)")
            let old = try await handshake("-tls1_1")
            #expect(old.status != 0 && !old.output.contains("CONNECTION ESTABLISHED"), "\(old.output)")

            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test("a certificate file that cannot be read refuses the start, naming the listener and the file")
    func missingCertificate() async throws {
        let fixture = try NodeFixture()
        defer { fixture.remove() }
        try fixture.writeConfig(
            checks: "<check uuid=\"\(UUID())\" module=\"selfcheck\"/>",
            listeners: """
                <listeners><listener type="http" address="127.0.0.1" port="0" ssl_cert="missing.crt" ssl_key="missing.key"/></listeners>
                """)
        let error = await #expect(throws: ConfigError.self) {
            _ = try await buildNoitServices(
                configPath: fixture.configPath, eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: Logger(label: "test"))
        }
        #expect(error?.description == "\(fixture.configPath): <listener type=\"http\">: ssl_cert \(fixture.directory.path)/missing.crt cannot be read")
    }
}
