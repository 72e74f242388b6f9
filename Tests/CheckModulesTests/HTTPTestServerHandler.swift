import NIOCore
import NIOHTTP1

/// Collects one request of an `HTTPTestServer` connection, records it, and writes the route's answer.
final class HTTPTestServerHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = ByteBuffer

    private let route: @Sendable (HTTPTestServer.Request) -> HTTPTestServer.Response
    private let record: @Sendable (HTTPTestServer.Request) -> Void
    private var request: HTTPTestServer.Request?

    init(
        route: @escaping @Sendable (HTTPTestServer.Request) -> HTTPTestServer.Response,
        record: @escaping @Sendable (HTTPTestServer.Request) -> Void
    ) {
        self.route = route
        self.record = record
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            request = HTTPTestServer.Request(method: head.method, uri: head.uri, headers: head.headers, body: [])
        case .body(let buffer):
            request?.body.append(contentsOf: buffer.readableBytesView)
        case .end:
            guard let request else { return }
            self.request = nil
            record(request)
            let response = route(request)
            let bytes = ByteBuffer(bytes: HTTPTestServer.encode(response, method: request.method))
            let write = context.writeAndFlush(wrapOutboundOut(bytes))
            if case .stall = response { return }
            let channel = context.channel
            write.whenComplete { _ in channel.close(promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
