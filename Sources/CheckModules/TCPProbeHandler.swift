#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOSSL
import NIOTLS

/// Feeds connection events of one tcp run into its `TCPProbe`.
final class TCPProbeHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let probe: TCPProbe

    init(probe: TCPProbe) {
        self.probe = probe
    }

    func channelActive(context: ChannelHandlerContext) {
        probe.connected()
        context.fireChannelActive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            let certificate = try? context.pipeline.syncOperations.handler(type: NIOSSLClientHandler.self).peerCertificate
            probe.handshakeCompleted(certificate: certificate.flatMap(CertificateSummary.init))
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        probe.received(unwrapInboundIn(data).readableBytesView)
    }

    func channelInactive(context: ChannelHandlerContext) {
        probe.closed()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let tlsError = error as? NIOSSLError {
            probe.fail("TLS handshake failed: \(tlsError)")
        } else if let ioError = error as? IOError, ioError.errnoCode == ECONNRESET {
            probe.fail("connection reset")
        } else {
            probe.fail("\(error)")
        }
        context.close(promise: nil)
    }
}
