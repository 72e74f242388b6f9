import NIOSSL
import Synchronization

/// The two client TLS contexts http runs need, built once.
///
/// The verifying one leaves chain and name checks to `HTTPCertificateVerifier`, called from
/// NIOSSL's custom verification hook, so that a failure can be reported by its reason; BoringSSL
/// then needs no trust store of its own.
final class HTTPTLSContexts: Sendable {
    private let contexts = Mutex<[Bool: NIOSSLContext]>([:])

    func context(verifying: Bool) throws -> NIOSSLContext {
        if let cached = contexts.withLock({ $0[verifying] }) { return cached }
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = verifying ? .noHostnameVerification : .none
        configuration.trustRoots = .certificates([])
        let context = try NIOSSLContext(configuration: configuration)
        contexts.withLock { $0[verifying] = $0[verifying] ?? context }
        return context
    }
}
