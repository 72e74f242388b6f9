#if canImport(Glibc)
import Glibc
#endif
import NIOCore

/// Reads one length-prefixed answer (RFC 1035 §4.2.2) from a TCP connection. Over TCP the
/// connection is ours alone, so a message that is not the answer fails the exchange.
final class DNSStreamHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let query: DNSQuery
    private let slot: DNSReplySlot
    private var pending: ByteBuffer?

    init(query: DNSQuery, slot: DNSReplySlot) {
        self.query = query
        self.slot = slot
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if pending == nil {
            pending = incoming
        } else {
            pending!.writeBuffer(&incoming)
        }
        guard let buffer = pending, let length = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self),
            let bytes = buffer.getBytes(at: buffer.readerIndex + 2, length: Int(length))
        else { return }
        switch query.classify(bytes) {
        case .reply(let message):
            slot.complete(.reply(message))
        case .malformed(let error):
            slot.complete(.malformed(error))
        case .stray(let reason):
            slot.complete(.failed("TCP answer does not match the query: \(reason)"))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let ioError = error as? IOError, ioError.errnoCode == ECONNRESET {
            slot.complete(.failed("TCP connection reset"))
        } else {
            slot.complete(.failed("TCP error: \(error)"))
        }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        slot.complete(.failed("TCP connection closed before a complete answer"))
        context.fireChannelInactive()
    }
}
