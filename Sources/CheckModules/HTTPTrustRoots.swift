import Foundation
import NIOSSL
import Synchronization
import X509

/// Trusted roots for certificate verification by `ca_chain` path (nil: the system store).
/// A file is parsed again only when its size or modification time changes: thousands of
/// checks share a handful of bundles, and re-reading them every run would be waste.
final class HTTPTrustRoots: Sendable {
    private struct Entry: Sendable {
        var modified: Date?
        var size: Int?
        var store: CertificateStore
    }

    private let entries = Mutex<[String: Entry]>([:])

    func store(caChain: String?) throws(HTTPConfigError) -> CertificateStore {
        guard let caChain else { return CertificateStore.systemTrustRoots }
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: caChain) else {
            throw HTTPConfigError("cannot read ca_chain \(caChain)")
        }
        let modified = attributes[.modificationDate] as? Date
        let size = (attributes[.size] as? NSNumber)?.intValue
        if let cached = entries.withLock({ $0[caChain] }), cached.modified == modified, cached.size == size {
            return cached.store
        }
        let certificates: [Certificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(caChain).map { try Certificate(derEncoded: $0.toDERBytes()) }
        } catch {
            throw HTTPConfigError("ca_chain \(caChain) is not a PEM certificate file")
        }
        guard !certificates.isEmpty else { throw HTTPConfigError("ca_chain \(caChain) holds no certificates") }
        let store = CertificateStore(certificates)
        entries.withLock { $0[caChain] = Entry(modified: modified, size: size, store: store) }
        return store
    }
}
