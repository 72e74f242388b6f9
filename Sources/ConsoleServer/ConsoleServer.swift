import Console
import Logging
import EventLoopExecution
import NIOCore
import NIOPosix
import ServiceLifecycle
import NoitCore

/// The console listener: a telnet server whose sessions run the node's command tree.
///
/// A `Service`: `run()` binds, serves each connection as a child task of a discarding task
/// group, and on graceful shutdown stops accepting, tells every session
/// "% Node shutting down", and returns once all sessions have closed. Cancelling `run()`
/// closes everything at once.
public final class ConsoleServer: Service {
    let configuration: ConsoleListenerConfiguration
    let commands: any ConsoleCommandSource
    let eventLoopGroup: any EventLoopGroup
    let logger: Logger
    let clock: any MonotonicClock
    let onListening: @Sendable (SocketAddress) -> Void
    let registry = ConsoleSessionRegistry()

    public init(
        configuration: ConsoleListenerConfiguration,
        commands: any ConsoleCommandSource,
        eventLoopGroup: any EventLoopGroup,
        logger: Logger,
        clock: any MonotonicClock = ContinuousClock(),
        onListening: @escaping @Sendable (SocketAddress) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.commands = commands
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.clock = clock
        self.onListening = onListening
    }

    /// Sessions currently connected (admitted, not yet closed).
    public var sessionCount: Int { registry.count }

    public func run() async throws {
        let server = try await ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 256)
            // A script may half-close after its last command and still read the answers.
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let address = server.channel.localAddress
        logger.info("console listening", metadata: ["address": "\(address.map(Self.describe) ?? "?")"])
        if let address { onListening(address) }

        let sessionExecutor = EventLoopTaskExecutor(loop: server.channel.eventLoop)
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { connections in
                    for try await connection in connections {
                        // Sessions work on the console's loop, not on Swift's few cooperative
                        // threads: a client flooding its session then cannot delay the node's
                        // other async work (a check node has only a couple of cores).
                        group.addTask(executorPreference: sessionExecutor) { await self.serve(connection) }
                    }
                }
            }
        } onGracefulShutdown: {
            server.channel.close(promise: nil)
            self.registry.shutDown()
        }
    }

    private func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        let peer = connection.channel.remoteAddress.map(Self.describe) ?? "?"
        let local = connection.channel.localAddress.map(Self.describe) ?? "?"
        let session = ConsoleSession(
            peer: peer, local: local, configuration: configuration, source: commands, clock: clock, logger: logger)
        switch registry.admit(session, limit: configuration.maxSessions) {
        case .admitted:
            await session.serve(connection)
            registry.remove(session)
        case .full:
            logger.notice("console session refused: too many sessions", metadata: ["console.peer": "\(peer)"])
            await Self.refuse(connection, message: "% Too many console sessions")
        case .shuttingDown:
            await Self.refuse(connection, message: "% Node shutting down")
        }
    }

    private static func refuse(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>, message: String) async {
        try? await connection.executeThenClose { _, outbound in
            try await outbound.write(ByteBuffer(string: message + "\r\n"))
        }
    }

    /// "127.0.0.1:32322", "[::1]:32322".
    static func describe(_ address: SocketAddress) -> String {
        guard let ip = address.ipAddress, let port = address.port else { return "\(address)" }
        if case .v6 = address { return "[\(ip)]:\(port)" }
        return "\(ip):\(port)"
    }
}
