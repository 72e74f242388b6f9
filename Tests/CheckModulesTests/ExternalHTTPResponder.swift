import NIOCore
import NIOPosix

/// A minimal HTTP/1.x server on 127.0.0.1 for plugin tests: waits for the end of the request
/// headers, answers with a fixed response and closes the connection.
final class ExternalHTTPResponder: Sendable {
    let port: Int
    /// The response body; the full response adds a status line and headers.
    let body: String
    private let channel: any Channel

    init(status: String = "200 OK", body: String = "hello from the responder\n") async throws {
        let response =
            "HTTP/1.1 \(status)\r\nContent-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\n"
            + "Connection: close\r\n\r\n" + body
        self.body = body
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Responder(response: response))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress!.port!
    }

    func close() async {
        try? await channel.close()
    }

    private final class Responder: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        let response: String
        var request = [UInt8]()
        var answered = false

        init(response: String) {
            self.response = response
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard !answered else { return }
            request += unwrapInboundIn(data).readableBytesView
            let end: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A]
            guard request.count >= 4, (0...(request.count - 4)).contains(where: { Array(request[$0..<$0 + 4]) == end }) else {
                return
            }
            answered = true
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: response))).whenComplete { _ in
                bound.value.close(promise: nil)
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}
