import Glibc
import Synchronization
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

/// A TCP server on 127.0.0.1 with a chosen behaviour, for testing checks against real sockets.
public final class LoopbackServer: Sendable {
    public enum Behavior: Sendable {
        /// Accept and say nothing.
        case silent
        /// Send these bytes as soon as the connection is up (after the TLS handshake, with TLS).
        case banner(String)
        /// Accept and close straight away.
        case closeImmediately
    }

    public let port: Int
    private let channel: any Channel

    public init(behavior: Behavior, tls: NIOSSLContext? = nil) async throws {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    }
                    try channel.pipeline.syncOperations.addHandler(BehaviorHandler(behavior: behavior, waitsForTLS: tls != nil))
                }
            }
        channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress!.port!
    }

    public func close() async {
        try? await channel.close()
    }

    /// A port on 127.0.0.1 where connecting is refused. The port stays bound (without
    /// listen()) for the life of the test process, so no other socket, such as one of the
    /// hundreds a concurrent console test opens, can take it meanwhile.
    public static func closedPort() async throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw IOError(errnoCode: errno, reason: "socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound else {
            let code = errno
            Glibc.close(descriptor)
            throw IOError(errnoCode: code, reason: "bind")
        }
        reservedPorts.withLock { $0.append(descriptor) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// A UDP port on 127.0.0.1 with no socket bound, so a datagram to it draws ICMP port
    /// unreachable. Chosen below the kernel's ephemeral range (32768 and up), where the
    /// client sockets of tests running in parallel cannot land on it in the meantime.
    public static func unboundUDPPort() throws -> Int {
        try unboundPort(type: Int32(SOCK_DGRAM.rawValue))
    }

    /// A TCP port on 127.0.0.1 that a process started by the test can bind (an embedded
    /// PostgreSQL, say), from below the ephemeral range for the same reason.
    public static func unboundTCPPort() throws -> Int {
        try unboundPort(type: Int32(SOCK_STREAM.rawValue))
    }

    /// A port on 127.0.0.1 free for both UDP and TCP (a DNS server binds both), from below
    /// the ephemeral range for the same reason.
    public static func unboundUDPAndTCPPort() throws -> Int {
        try unboundPort(types: [Int32(SOCK_DGRAM.rawValue), Int32(SOCK_STREAM.rawValue)])
    }

    private static func unboundPort(type: Int32) throws -> Int {
        try unboundPort(types: [type])
    }

    private static func unboundPort(types: [Int32]) throws -> Int {
        for _ in 0..<100 {
            let port = UInt16.random(in: 20_000...32_000)
            if try types.allSatisfy({ try isBindable(port: port, type: $0) }) { return Int(port) }
        }
        throw IOError(errnoCode: EADDRINUSE, reason: "no free port found")
    }

    private static func isBindable(port: UInt16, type: Int32) throws -> Bool {
        let descriptor = socket(AF_INET, type, 0)
        guard descriptor >= 0 else { throw IOError(errnoCode: errno, reason: "socket") }
        defer { Glibc.close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    private static let reservedPorts = Mutex<[Int32]>([])
}

private final class BehaviorHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let behavior: LoopbackServer.Behavior
    let waitsForTLS: Bool

    init(behavior: LoopbackServer.Behavior, waitsForTLS: Bool) {
        self.behavior = behavior
        self.waitsForTLS = waitsForTLS
    }

    func channelActive(context: ChannelHandlerContext) {
        if !waitsForTLS { act(context) }
        context.fireChannelActive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if waitsForTLS, let event = event as? TLSUserEvent, case .handshakeCompleted = event { act(context) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func act(_ context: ChannelHandlerContext) {
        switch behavior {
        case .silent:
            break
        case .banner(let text):
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text)), promise: nil)
        case .closeImmediately:
            context.close(promise: nil)
        }
    }
}
