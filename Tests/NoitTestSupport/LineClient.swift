import NIOCore
import NIOPosix

/// A plain TCP client that speaks no telnet: what `nc` or a script is to the console.
/// Received bytes are kept (telnet commands included, as `nc` would show them) and can be
/// awaited with `waitFor`.
public final class LineClient: Sendable {
    public let output: TelnetTerminal.Output
    public let channel: any Channel

    /// The clients' own loop: floods and megabyte lines sent by tests must not slow the
    /// checks other suites run on the singleton loops while the test process runs them all.
    public static let loops = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    private init(channel: any Channel, output: TelnetTerminal.Output) {
        self.channel = channel
        self.output = output
    }

    /// - reading: false makes a client that never reads (autoRead off, a tiny receive
    ///   buffer), to test a server's backpressure.
    public static func connect(
        host: String = "127.0.0.1", port: Int, reading: Bool = true,
        group: any EventLoopGroup = LineClient.loops
    ) async throws -> LineClient {
        let output = TelnetTerminal.Output()
        var bootstrap = ClientBootstrap(group: group)
            // NIO's 10 s default was crossed by 300 connects at once beside two CPU burners
            // (a starved accept loop, a full backlog, SYN retries): 90 s only guards a hang.
            .connectTimeout(.seconds(90))
            .channelOption(.autoRead, value: reading)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Collector(output: output))
                }
            }
        if !reading {
            bootstrap = bootstrap.channelOption(.socketOption(.so_rcvbuf), value: 2048)
        }
        let channel = try await bootstrap.connect(host: host, port: port).get()
        return LineClient(channel: channel, output: output)
    }

    /// Sends text as is ("\n" is not translated).
    public func send(_ text: String) async throws {
        try await send(bytes: Array(text.utf8))
    }

    /// Sends bytes; returns once the kernel took them.
    public func send(bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes)).get()
    }

    /// Sends without waiting for the kernel to take the bytes (for a server that may stop reading).
    public func sendWithoutWaiting(bytes: [UInt8]) {
        channel.writeAndFlush(ByteBuffer(bytes: bytes), promise: nil)
    }

    /// Waits until `text` appears in what arrived since the previous successful wait.
    @discardableResult
    public func waitFor(_ text: String, timeout: Duration = TelnetTerminal.Output.defaultTimeout) async throws -> String {
        try await output.waitFor(text, timeout: timeout)
    }

    /// Waits until the server closed the connection.
    public func waitForClose(timeout: Duration = TelnetTerminal.Output.defaultTimeout) async throws {
        try await output.waitForEnd(timeout: timeout)
    }

    public var text: String { output.text }
    public var recentText: String { output.recent }
    public var isClosed: Bool { output.isFinished }

    /// Closes our sending side only (like `nc -N` at the end of its input).
    public func shutdownOutput() async throws {
        try await channel.close(mode: .output).get()
    }

    public func close() async {
        try? await channel.close().get()
    }
}

/// Hands received bytes to the client's output; marks it finished when the connection ends.
private final class Collector: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let output: TelnetTerminal.Output

    init(output: TelnetTerminal.Output) {
        self.output = output
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        output.append(buffer.readableBytesView)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event {
            output.finish()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        output.finish()
        context.fireChannelInactive()
    }
}
