import Foundation
import NIOSSL
import X509

/// The parts of a server certificate operators watch: who it names, who signed it, and when it ends.
struct CertificateSummary: Sendable, Hashable {
    var subject: String
    var issuer: String
    /// Seconds since the epoch.
    var notValidBefore: Int64
    var notValidAfter: Int64

    init?(_ certificate: NIOSSLCertificate) {
        guard let der = try? certificate.toDERBytes(), let parsed = try? Certificate(derEncoded: der) else {
            return nil
        }
        subject = parsed.subject.description
        issuer = parsed.issuer.description
        notValidBefore = Int64(parsed.notValidBefore.timeIntervalSince1970)
        notValidAfter = Int64(parsed.notValidAfter.timeIntervalSince1970)
    }
}
