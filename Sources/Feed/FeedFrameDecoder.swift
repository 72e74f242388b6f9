import NIOCore

/// Splits the byte stream into frames. A malformed frame is an error that ends the
/// connection: nothing after it can be trusted to start on a frame boundary.
public struct FeedFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = FeedFrame

    public init() {}

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try FeedFrame.decode(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(frame))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        if buffer.readableBytes > 0 {
            throw FeedProtocolError("connection closed in the middle of a frame (\(buffer.readableBytes) bytes)")
        }
        return .needMoreData
    }
}

/// Writes frames with their length prefix.
public struct FeedFrameEncoder: MessageToByteEncoder {
    public typealias OutboundIn = FeedFrame

    public init() {}

    public func encode(data: FeedFrame, out: inout ByteBuffer) throws {
        data.encode(into: &out)
    }
}
