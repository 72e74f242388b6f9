import NIOCore

/// Reads one output pipe of a plugin on the event loop: keeps the first `limit` bytes, counts and
/// drops the rest, and reports once when the pipe closes (end of file, error, or closed by us).
final class ExternalOutputCollector: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let limit: Int
    private var output = ExternalCapturedOutput()
    private var reported = false
    private let onFinish: @Sendable (ExternalCapturedOutput) -> Void

    init(limit: Int, onFinish: @escaping @Sendable (ExternalCapturedOutput) -> Void) {
        self.limit = max(0, limit)
        self.onFinish = onFinish
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        output.totalBytes += buffer.readableBytes
        let room = limit - output.bytes.count
        if room > 0, let bytes = buffer.readBytes(length: min(room, buffer.readableBytes)) {
            output.bytes += bytes
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        report()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        report()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func report() {
        guard !reported else { return }
        reported = true
        onFinish(output)
    }
}
