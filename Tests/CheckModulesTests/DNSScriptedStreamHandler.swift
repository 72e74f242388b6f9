import NIOCore

@testable import CheckModules

/// The TCP side of `DNSScriptedServer`: one framed query per connection.
final class DNSScriptedStreamHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let script: DNSScriptedServer.Script
    private let received: AsyncStream<DNSMessage>.Continuation
    private var pending = ByteBuffer()

    init(script: @escaping DNSScriptedServer.Script, received: AsyncStream<DNSMessage>.Continuation) {
        self.script = script
        self.received = received
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        pending.writeBuffer(&incoming)
        guard let length = pending.getInteger(at: pending.readerIndex, as: UInt16.self),
            let bytes = pending.getBytes(at: pending.readerIndex + 2, length: Int(length)),
            let query = try? DNSMessage(parsing: bytes)
        else { return }
        received.yield(query)
        let chunks = script(query)
        if chunks.isEmpty {
            context.close(promise: nil)
            return
        }
        for chunk in chunks {
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: chunk)), promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
