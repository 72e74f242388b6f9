import Foundation
#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOHTTP1
import NIOSSL
import NIOTLS

/// Sends one request once the connection (and its TLS) is up, and feeds the response into
/// its `HTTPExchange`.
final class HTTPExchangeHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let exchange: HTTPExchange
    private let head: HTTPRequestHead
    private let payload: [UInt8]?
    private let waitsForTLS: Bool
    /// Inside an interim (1xx) response, whose end is not the response's end.
    private var inInterimResponse = false

    init(exchange: HTTPExchange, request: HTTPRequest, waitsForTLS: Bool) {
        self.exchange = exchange
        self.head = request.head
        self.payload = request.payload
        self.waitsForTLS = waitsForTLS
    }

    func channelActive(context: ChannelHandlerContext) {
        exchange.connected()
        if !waitsForTLS { send(context) }
        context.fireChannelActive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if waitsForTLS, let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            let certificate = try? context.pipeline.syncOperations.handler(type: NIOSSLClientHandler.self).peerCertificate
            exchange.presented(certificate: certificate.flatMap(CertificateSummary.init))
            send(context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    private func send(_ context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if let payload, !payload.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: payload)))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let responseHead):
            // 100 Continue and 103 Early Hints come before the real answer; 101 would be final,
            // but no upgrade is ever asked for.
            if (100..<200).contains(responseHead.status.code) && responseHead.status.code != 101 {
                inInterimResponse = true
            } else {
                exchange.received(head: responseHead)
            }
        case .body(let buffer):
            if !exchange.received(body: buffer) { context.close(promise: nil) }
        case .end:
            if inInterimResponse {
                inInterimResponse = false
                return
            }
            exchange.responseEnded()
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        exchange.closed()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let parserError = error as? HTTPParserError, parserError == .invalidEOFState {
            // The decoder's word for a body cut short by the peer closing.
            exchange.closed()
        } else {
            exchange.fail(Self.describe(error))
        }
        context.close(promise: nil)
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case let parserError as HTTPParserError:
            return "invalid HTTP response (\(parserError))"
        case let tlsError as NIOSSLError:
            return "TLS handshake failed: " + describe(tlsError)
        case is BoringSSLError, is NIOSSLExtraError:
            return "TLS handshake failed: \(error)"
        case let ioError as IOError where ioError.errnoCode == ECONNRESET:
            return "connection reset"
        case is ByteToMessageDecoderError:
            return "invalid HTTP response (\(error))"
        default:
            return "\(error)"
        }
    }

    /// BoringSSL's reasons without codes and source paths: `EOF during handshake`,
    /// `WRONG_VERSION_NUMBER`.
    static func describe(_ error: NIOSSLError) -> String {
        guard case .handshakeFailed(let inner) = error, case .sslError(let stack) = inner, !stack.isEmpty else {
            return "\(error)"
        }
        return stack.map { entry -> String in
            var text = Substring(entry.description)
            if let reason = text.range(of: "OPENSSL_internal:") {
                text = text[reason.upperBound...]
                if let at = text.range(of: " at ") { text = text[..<at.lowerBound] }
            } else if text.hasPrefix("Error:") {
                text = text.dropFirst("Error:".count)
            }
            return text.trimmingCharacters(in: .whitespaces)
        }.joined(separator: "; ")
    }
}
