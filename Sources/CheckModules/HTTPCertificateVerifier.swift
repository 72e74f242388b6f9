import Foundation
import X509

/// Verifies a server's presented chain and says why it fails in the words operators expect
/// (`certificate has expired`), rather than BoringSSL's error stack.
enum HTTPCertificateVerifier {
    /// Nil when `chain` (leaf first, as presented) leads to one of `roots` and its leaf is valid
    /// for `identity` (a host name or an IP literal) now; otherwise the reason it is not.
    static func failure(of chain: [Certificate], roots: CertificateStore, identity: String) async -> String? {
        guard let leaf = chain.first else { return "no certificate presented" }
        let now = Date()
        // The leaf's own dates first: the most common failure, and the clearest message.
        if now > leaf.notValidAfter { return "certificate has expired" }
        if now < leaf.notValidBefore { return "certificate is not yet valid" }

        let intermediates = CertificateStore(chain.dropFirst())
        var chainVerifier = Verifier(rootCertificates: roots) { RFC5280Policy() }
        if case .couldNotValidate(let failures) = await chainVerifier.validate(leaf: leaf, intermediates: intermediates) {
            let reasons = failures.map(\.policyFailureReason.description)
            if reasons.isEmpty { return "certificate is not trusted (no chain to a trusted root)" }
            if reasons.contains(where: { $0.contains("has expired") }) { return "a certificate in the chain has expired" }
            if reasons.contains(where: { $0.contains("not yet valid") }) { return "a certificate in the chain is not yet valid" }
            return "certificate chain is not valid"
        }

        let isIP = identity.isIPAddressLiteral
        var identityVerifier = Verifier(rootCertificates: roots) {
            RFC5280Policy()
            ServerIdentityPolicy(serverHostname: isIP ? nil : identity, serverIP: isIP ? identity : nil)
        }
        if case .couldNotValidate = await identityVerifier.validate(leaf: leaf, intermediates: intermediates) {
            return "certificate does not match \(identity)"
        }
        return nil
    }
}
