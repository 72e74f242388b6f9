import NIOCore
import NIOPosix

/// Where one ping_icmp run sends its echo requests: a resolved IPv4 or IPv6 address.
struct PingTarget: Sendable {
    var address: SocketAddress
    var family: PingICMPPacket.Family
    /// The address alone, 4 or 16 bytes in network order, for matching replies.
    var addressBytes: [UInt8]

    /// Nil for a socket address that is neither IPv4 nor IPv6.
    init?(_ address: SocketAddress) {
        switch address {
        case .v4(let v4):
            var raw = v4.address.sin_addr
            self.addressBytes = withUnsafeBytes(of: &raw) { Array($0) }
            self.family = .v4
        case .v6(let v6):
            var raw = v6.address.sin6_addr
            self.addressBytes = withUnsafeBytes(of: &raw) { Array($0) }
            self.family = .v6
        default:
            return nil
        }
        self.address = address
    }

    /// Resolves `host` (see `SocketAddress.resolvedOffLoop`).
    static func resolve(_ host: String) async throws -> PingTarget {
        let address = try await SocketAddress.resolvedOffLoop(host: host, port: 0)
        guard let target = PingTarget(address) else { throw SocketAddressError.unsupported }
        return target
    }
}
