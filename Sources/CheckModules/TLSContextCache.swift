import NIOSSL
import Synchronization

/// TLS client contexts by verification settings: building one loads the trust store, far too
/// slow to do on every run of thousands of checks.
final class TLSContextCache: Sendable {
    private struct Key: Hashable {
        var verify: Bool
        var caChain: String?
    }

    private let contexts = Mutex<[Key: NIOSSLContext]>([:])

    func context(verify: Bool, caChain: String?) throws -> NIOSSLContext {
        let key = Key(verify: verify, caChain: caChain)
        if let cached = contexts.withLock({ $0[key] }) { return cached }
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = verify ? .fullVerification : .none
        if let caChain { configuration.trustRoots = .file(caChain) }
        let context = try NIOSSLContext(configuration: configuration)
        contexts.withLock { $0[key] = context }
        return context
    }
}
