import NIOCore
import NIOPosix

extension SocketAddress {
    /// IP literals directly; names with getaddrinfo on NIO's thread pool, so that a slow
    /// resolver blocks neither the check loop nor the concurrency pool.
    static func resolvedOffLoop(host: String, port: Int) async throws -> SocketAddress {
        if let literal = try? SocketAddress(ipAddress: host, port: port) { return literal }
        return try await NIOThreadPool.singleton.runIfActive {
            try SocketAddress.makeAddressResolvingHost(host, port: port)
        }
    }
}
