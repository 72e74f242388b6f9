/// ICMP echo messages for IPv4 (RFC 792) and IPv6 (RFC 4443): building requests and reading
/// replies defensively. Pure byte work, no I/O.
enum PingICMPPacket {
    enum Family: Hashable, Sendable {
        case v4, v6

        var echoRequestType: UInt8 { self == .v4 ? 8 : 128 }
        var echoReplyType: UInt8 { self == .v4 ? 0 : 129 }
    }

    /// The fields of an echo reply that matter for matching it to a request.
    struct EchoReply: Hashable, Sendable {
        var identifier: UInt16
        var sequence: UInt16
        var payload: [UInt8]
    }

    static let headerLength = 8
    /// The largest payload that fits one IPv4 datagram (65535 - 20 IP - 8 ICMP).
    static let maximumPayload = 65_507

    /// The Internet checksum (RFC 1071): one's complement of the one's complement sum of 16-bit words.
    static func checksum<C: Collection<UInt8>>(_ bytes: C) -> UInt16 {
        var sum: UInt32 = 0
        var iterator = bytes.makeIterator()
        while let high = iterator.next() {
            let low = iterator.next() ?? 0
            sum += UInt32(high) << 8 | UInt32(low)
            // Folding as we go keeps the accumulator from overflowing on any input length.
            sum = (sum & 0xFFFF) + (sum >> 16)
        }
        sum = (sum & 0xFFFF) + (sum >> 16)
        return ~UInt16(truncatingIfNeeded: sum)
    }

    /// An echo request. The IPv4 checksum is computed here; for IPv6 the kernel fills it in,
    /// since it covers a pseudo-header with the source address only the kernel knows.
    static func echoRequest(family: Family, identifier: UInt16, sequence: UInt16, payload: [UInt8]) -> [UInt8] {
        var packet = [UInt8]()
        packet.reserveCapacity(headerLength + payload.count)
        packet += [family.echoRequestType, 0, 0, 0]
        packet += [UInt8(identifier >> 8), UInt8(identifier & 0xFF), UInt8(sequence >> 8), UInt8(sequence & 0xFF)]
        packet += payload
        if family == .v4 {
            let sum = checksum(packet)
            packet[2] = UInt8(sum >> 8)
            packet[3] = UInt8(sum & 0xFF)
        }
        return packet
    }

    /// A payload of `size` bytes that starts with `token` (big-endian, truncated when `size` < 8)
    /// and continues with a counting pattern, as ping(8) does.
    static func payload(token: UInt64, size: Int) -> [UInt8] {
        (0..<max(0, size)).map { index in
            index < 8 ? UInt8(truncatingIfNeeded: token >> (56 - 8 * UInt64(index))) : UInt8(truncatingIfNeeded: index)
        }
    }

    /// Reads an echo reply; nil for anything else (other ICMP types, truncated or corrupt packets).
    ///
    /// - Parameter includesIPHeader: IPv4 raw sockets deliver the IP header first; IPv4 datagram
    ///   sockets and all IPv6 sockets deliver the ICMP message alone.
    static func parseEchoReply(_ bytes: [UInt8], family: Family, includesIPHeader: Bool) -> EchoReply? {
        var start = 0
        if includesIPHeader {
            guard family == .v4, bytes.count >= 20, bytes[0] >> 4 == 4 else { return nil }
            let headerLength = Int(bytes[0] & 0x0F) * 4
            // Protocol 1 is ICMP; anything else on an ICMP socket is not ours to read.
            guard headerLength >= 20, bytes.count >= headerLength, bytes[9] == 1 else { return nil }
            start = headerLength
        }
        let message = bytes[start...]
        guard message.count >= headerLength else { return nil }
        let base = message.startIndex
        guard message[base] == family.echoReplyType, message[base + 1] == 0 else { return nil }
        // The IPv6 checksum needs the pseudo-header; the kernel has verified it already.
        if family == .v4, checksum(message) != 0 { return nil }
        return EchoReply(
            identifier: UInt16(message[base + 4]) << 8 | UInt16(message[base + 5]),
            sequence: UInt16(message[base + 6]) << 8 | UInt16(message[base + 7]),
            payload: Array(message[(base + headerLength)...]))
    }
}
