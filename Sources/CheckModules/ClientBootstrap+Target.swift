import NIOCore
import NIOPosix

extension ClientBootstrap {
    /// Connects to a check's target. An IP literal is connected to directly: through the
    /// resolver it would still cost a getaddrinfo on another thread and two thread hand-offs
    /// per run. A name goes through NIO's resolver, which runs getaddrinfo off the loop (a slow
    /// DNS server must not hold up every other check on it) and tries the addresses it gets
    /// Happy Eyeballs style.
    func connect(directlyOrResolving host: String, port: Int) -> EventLoopFuture<any Channel> {
        if let literal = try? SocketAddress(ipAddress: host, port: port) { return connect(to: literal) }
        return connect(host: host, port: port)
    }
}
