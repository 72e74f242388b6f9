#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOCore

/// Watches a connected UDP socket for the answer to one query. Datagrams that are not the
/// answer (wrong id, another question, noise) are logged and ignored, so a late answer to
/// someone else's query cannot end the exchange.
final class DNSDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let query: DNSQuery
    private let slot: DNSReplySlot
    private let logger: Logger

    init(query: DNSQuery, slot: DNSReplySlot, logger: Logger) {
        self.query = query
        self.slot = slot
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        switch query.classify(Array(envelope.data.readableBytesView)) {
        case .reply(let message):
            slot.complete(.reply(message))
        case .malformed(let error):
            slot.complete(.malformed(error))
        case .stray(let reason):
            logger.debug("dns: ignoring datagram", metadata: ["from": "\(envelope.remoteAddress)", "reason": "\(reason)"])
        }
    }

    /// A connected UDP socket learns of an ICMP port unreachable as ECONNREFUSED on a later
    /// read; the kernel's word for it is the most useful status.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let ioError = error as? IOError, ioError.errnoCode == ECONNREFUSED {
            slot.complete(.failed("port unreachable"))
        } else {
            slot.complete(.failed("UDP error: \(error)"))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        slot.complete(.failed("UDP socket closed"))
        context.fireChannelInactive()
    }
}
