import NIOCore

/// Notes when the first response byte arrives, before the HTTP decoder waits for a whole head.
final class HTTPFirstByteHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let exchange: HTTPExchange

    init(exchange: HTTPExchange) {
        self.exchange = exchange
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        exchange.receivedFirstByte()
        context.fireChannelRead(data)
        // One byte is all it is here for; later reads skip it.
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}
