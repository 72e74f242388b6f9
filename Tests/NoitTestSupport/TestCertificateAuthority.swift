import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509

/// A private CA minted in-process for tests, issuing server and client certificates on demand.
public struct TestCertificateAuthority: Sendable {
    public let certificate: NIOSSLCertificate
    public let certificatePEM: String
    /// Kept as PEM: Crypto's key types are not Sendable.
    private let keyPEM: String
    private let name: DistinguishedName

    public init(commonName: String = "Noit Test CA") throws {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            CommonName(commonName)
            OrganizationName("Reconnoiter Swift Tests")
        }
        let now = Date()
        let ca = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(86_400 * 365),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                KeyUsage(keyCertSign: true, cRLSign: true)
            },
            issuerPrivateKey: .init(key))
        self.keyPEM = key.pemRepresentation
        self.name = name
        self.certificatePEM = try ca.serializeAsPEM().pemString
        self.certificate = try NIOSSLCertificate(bytes: Array(certificatePEM.utf8), format: .pem)
    }

    /// A leaf certificate for `commonName` (also a DNS and IP SAN for loopback names).
    public func issue(
        commonName: String,
        validFrom: Date = Date().addingTimeInterval(-3600),
        validUntil: Date = Date().addingTimeInterval(86_400 * 30)
    ) throws -> IssuedCertificate {
        let key = try P256.Signing.PrivateKey(pemRepresentation: keyPEM)
        let leafKey = P256.Signing.PrivateKey()
        let subject = try DistinguishedName {
            CommonName(commonName)
            OrganizationName("Reconnoiter Swift Tests")
        }
        let leaf = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(leafKey.publicKey),
            notValidBefore: validFrom, notValidAfter: validUntil,
            issuer: name, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                SubjectAlternativeNames([.dnsName(commonName), .dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))])
                try ExtendedKeyUsage([.serverAuth, .clientAuth])
            },
            issuerPrivateKey: .init(key))
        let pem = try leaf.serializeAsPEM().pemString
        let keyPEM = leafKey.pemRepresentation
        return IssuedCertificate(
            certificate: try NIOSSLCertificate(bytes: Array(pem.utf8), format: .pem),
            privateKey: try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem),
            certificatePEM: pem, privateKeyPEM: keyPEM)
    }

    /// Writes the CA certificate to a PEM file and returns its path.
    public func writeCertificate(to directory: URL) throws -> String {
        let url = directory.appendingPathComponent("ca.pem")
        try certificatePEM.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }
}

public struct IssuedCertificate: Sendable {
    public let certificate: NIOSSLCertificate
    public let privateKey: NIOSSLPrivateKey
    public let certificatePEM: String
    public let privateKeyPEM: String

    public func serverContext() throws -> NIOSSLContext {
        try NIOSSLContext(
            configuration: .makeServerConfiguration(certificateChain: [.certificate(certificate)], privateKey: .privateKey(privateKey)))
    }
}
