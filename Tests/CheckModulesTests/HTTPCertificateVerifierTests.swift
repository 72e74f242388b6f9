import Foundation
import NIOSSL
import NoitTestSupport
import Testing
import X509

@testable import CheckModules

@Suite("http certificate verification reasons (no I/O)")
struct HTTPCertificateVerifierTests {
    func x509(_ certificate: NIOSSLCertificate) throws -> Certificate {
        try Certificate(derEncoded: certificate.toDERBytes())
    }

    @Test("a leaf from a trusted CA, for the right name or IP, verifies")
    func valid() async throws {
        let ca = try TestCertificateAuthority()
        let leaf = try x509(ca.issue(commonName: "svc.test").certificate)
        let roots = CertificateStore([try x509(ca.certificate)])
        #expect(await HTTPCertificateVerifier.failure(of: [leaf], roots: roots, identity: "svc.test") == nil)
        #expect(await HTTPCertificateVerifier.failure(of: [leaf], roots: roots, identity: "localhost") == nil)
        #expect(await HTTPCertificateVerifier.failure(of: [leaf], roots: roots, identity: "127.0.0.1") == nil)
    }

    @Test("each failure has its own reason")
    func reasons() async throws {
        let ca = try TestCertificateAuthority()
        let other = try TestCertificateAuthority(commonName: "Someone Else")
        let roots = CertificateStore([try x509(ca.certificate)])
        let leaf = try x509(ca.issue(commonName: "svc.test").certificate)
        let expired = try x509(
            ca.issue(commonName: "svc.test", validFrom: Date().addingTimeInterval(-7200), validUntil: Date().addingTimeInterval(-60))
                .certificate)
        let future = try x509(
            ca.issue(commonName: "svc.test", validFrom: Date().addingTimeInterval(3600), validUntil: Date().addingTimeInterval(7200))
                .certificate)
        let stranger = try x509(other.issue(commonName: "svc.test").certificate)

        #expect(await HTTPCertificateVerifier.failure(of: [], roots: roots, identity: "svc.test") == "no certificate presented")
        #expect(await HTTPCertificateVerifier.failure(of: [expired], roots: roots, identity: "svc.test") == "certificate has expired")
        #expect(await HTTPCertificateVerifier.failure(of: [future], roots: roots, identity: "svc.test") == "certificate is not yet valid")
        #expect(
            await HTTPCertificateVerifier.failure(of: [stranger], roots: roots, identity: "svc.test")
                == "certificate is not trusted (no chain to a trusted root)")
        #expect(await HTTPCertificateVerifier.failure(of: [leaf], roots: roots, identity: "www.test") == "certificate does not match www.test")
        #expect(await HTTPCertificateVerifier.failure(of: [leaf], roots: roots, identity: "10.1.2.3") == "certificate does not match 10.1.2.3")
    }
}
