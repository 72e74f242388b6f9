import Hummingbird
import NIOCore
import NIOSSL
import X509

/// The request context of the node's HTTP API: Hummingbird's basics plus the connection, so
/// the API can tell who is asking (peer address, client certificate).
public struct NodeRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let channel: (any Channel)?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    /// The peer's address as `host:port`, or `unknown`.
    public var peer: String {
        guard let address = channel?.remoteAddress else { return "unknown" }
        return "\(address.ipAddress ?? "?"):\(address.port ?? 0)"
    }

    /// The common name of the client certificate the TLS handshake verified; nil on plain
    /// HTTP or without a certificate.
    public func clientCommonName() async -> String? {
        guard let channel else { return nil }
        let der: [UInt8]? = try? await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.handler(type: NIOSSLHandler.self).peerCertificate?.toDERBytes()
        }.get()
        guard let der, let certificate = try? Certificate(derEncoded: der) else { return nil }
        return certificate.subject.commonName
    }
}
