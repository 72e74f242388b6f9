import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import X509

extension HTTPModule {
    /// Starts one request on a fresh connection; every failure ends up in the exchange's
    /// outcome (one that fails before connecting is complete already). The attempt's `cancel`
    /// completes the outcome at once and closes the connection behind it; so does, for callers
    /// that do not cancel at the timeout, a backstop deadline ``backstopGraceMilliseconds``
    /// past `timeoutMilliseconds`.
    func beginExchange(_ request: HTTPRequest, config: HTTPCheckConfig, timeoutMilliseconds: Int64) -> HTTPExchangeAttempt {
        let exchange = HTTPExchange(readLimit: config.readLimit)
        let connection = ConnectionBox()
        let sslContext: NIOSSLContext?
        let roots: CertificateStore?
        do {
            sslContext = request.url.isTLS ? try contexts.context(verifying: !config.insecure) : nil
            roots = request.url.isTLS && !config.insecure ? try trustRoots.store(caChain: config.caChain) : nil
        } catch {
            let message = (error as? HTTPConfigError)?.message ?? "\(error)"
            exchange.fail("TLS setup failed: \(message)")
            return HTTPExchangeAttempt(exchange: exchange, connection: connection, deadline: nil)
        }

        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.milliseconds(timeoutMilliseconds))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let sslContext {
                        try pipeline.addHandler(Self.tlsHandler(sslContext, request: request, roots: roots, exchange: exchange))
                    }
                    try pipeline.addHandler(HTTPFirstByteHandler(exchange: exchange))
                    try pipeline.addHTTPClientHandlers()
                    try pipeline.addHandler(HTTPExchangeHandler(exchange: exchange, request: request, waitsForTLS: sslContext != nil))
                }
            }
        bootstrap.connect(directlyOrResolving: request.connectHost, port: request.url.port).whenComplete { result in
            switch result {
            case .success(let channel):
                if !connection.set(channel) { channel.close(promise: nil) }
            case .failure(let error):
                exchange.fail(TCPModule.describe(connectError: error))
            }
        }
        let deadline = group.next().scheduleTask(in: .milliseconds(timeoutMilliseconds + Self.backstopGraceMilliseconds)) {
            exchange.fail("timeout")
        }
        return HTTPExchangeAttempt(exchange: exchange, connection: connection, deadline: deadline)
    }

    /// How long after the timeout the backstop fires. The scheduler cancels every run at its
    /// timeout, and its cancellation must come first: but it fires on the scheduler's loop and
    /// the backstop on another, so a backstop only a little later could win after a stall that
    /// delayed both, and record its own "timeout" in place of the scheduler's. 30 s is more than
    /// such a stall (20 s seen on a loaded machine).
    static let backstopGraceMilliseconds: Int64 = 30_000

    /// A TLS client handler; with `roots`, one whose handshake only completes when the presented
    /// chain verifies, so that no request (and no credential) goes to a server that failed.
    private static func tlsHandler(
        _ context: NIOSSLContext, request: HTTPRequest, roots: CertificateStore?, exchange: HTTPExchange
    ) throws -> NIOSSLClientHandler {
        guard let roots else { return try NIOSSLClientHandler(context: context, serverHostname: request.serverName) }
        let identity = request.identityName
        return try NIOSSLClientHandler(context: context, serverHostname: request.serverName) { presented, promise in
            exchange.presented(certificate: presented.first.flatMap(CertificateSummary.init))
            let chain = presented.compactMap { try? Certificate(derEncoded: $0.toDERBytes()) }
            Task {
                if let failure = await HTTPCertificateVerifier.failure(of: chain, roots: roots, identity: identity) {
                    exchange.verificationFailed(failure)
                    promise.succeed(.failed)
                } else {
                    promise.succeed(.certificateVerified)
                }
            }
        }
    }
}
