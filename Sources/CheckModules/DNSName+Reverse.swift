import NIOCore

/// Reverse-lookup names for PTR queries.
extension DNSName {
    /// The in-addr.arpa name of an IPv4 address or the ip6.arpa name of an IPv6 address
    /// (RFC 1035 §3.5, RFC 3596 §2.5); nil when `address` is not an IP literal.
    init?(reverseOf address: String) {
        guard let socketAddress = try? SocketAddress(ipAddress: address, port: 0) else { return nil }
        let text: String
        switch socketAddress {
        case .v4(let v4):
            let value = UInt32(bigEndian: v4.address.sin_addr.s_addr)
            let octets = [24, 16, 8, 0].map { String((value >> UInt32($0)) & 0xFF) }
            text = octets.reversed().joined(separator: ".") + ".in-addr.arpa"
        case .v6(let v6):
            let bytes = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
            let nibbles = bytes.flatMap { [$0 >> 4, $0 & 0x0F] }
            text = nibbles.reversed().map { String($0, radix: 16) }.joined(separator: ".") + ".ip6.arpa"
        case .unixDomainSocket:
            return nil
        }
        self.init(text: text)
    }
}
