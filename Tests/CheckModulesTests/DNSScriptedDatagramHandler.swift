import NIOCore

@testable import CheckModules

/// The UDP side of `DNSScriptedServer`.
final class DNSScriptedDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let script: DNSScriptedServer.Script
    private let received: AsyncStream<DNSMessage>.Continuation

    init(script: @escaping DNSScriptedServer.Script, received: AsyncStream<DNSMessage>.Continuation) {
        self.script = script
        self.received = received
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let query = try? DNSMessage(parsing: Array(envelope.data.readableBytesView)) else { return }
        received.yield(query)
        for datagram in script(query) {
            context.write(wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: ByteBuffer(bytes: datagram))), promise: nil)
        }
        context.flush()
    }
}
