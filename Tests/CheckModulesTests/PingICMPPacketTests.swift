import Testing

@testable import CheckModules

@Suite("ping_icmp: ICMP echo packets, without I/O")
struct PingICMPPacketTests {
    /// An IPv4 header as a raw socket delivers it, in front of `message`.
    func ipv4(_ message: [UInt8], headerWords: UInt8 = 5, protocolNumber: UInt8 = 1) -> [UInt8] {
        // The header length field may lie (below 5 words); the bytes are always a full header.
        var header = [UInt8](repeating: 0, count: max(20, Int(headerWords) * 4))
        header[0] = 0x40 | headerWords
        let total = header.count + message.count
        header[2] = UInt8(total >> 8)
        header[3] = UInt8(total & 0xFF)
        header[8] = 64
        header[9] = protocolNumber
        header[12...15] = [127, 0, 0, 1]
        header[16...19] = [127, 0, 0, 1]
        return header + message
    }

    /// An echo reply with a correct checksum.
    func reply(identifier: UInt16 = 0x1234, sequence: UInt16 = 7, payload: [UInt8] = Array("abcd".utf8), type: UInt8 = 0) -> [UInt8] {
        var packet = PingICMPPacket.echoRequest(family: .v4, identifier: identifier, sequence: sequence, payload: payload)
        packet[0] = type
        packet[2] = 0
        packet[3] = 0
        let sum = PingICMPPacket.checksum(packet)
        packet[2] = UInt8(sum >> 8)
        packet[3] = UInt8(sum & 0xFF)
        return packet
    }

    @Test("the checksum matches RFC 1071's worked example and handles odd lengths")
    func checksumKnownValues() {
        #expect(PingICMPPacket.checksum([0x00, 0x01, 0xF2, 0x03, 0xF4, 0xF5, 0xF6, 0xF7]) == 0x220D)
        #expect(PingICMPPacket.checksum([0x01]) == 0xFEFF)
        #expect(PingICMPPacket.checksum([UInt8]()) == 0xFFFF)
        // Many words whose sum overflows 16 bits many times over.
        #expect(PingICMPPacket.checksum([UInt8](repeating: 0xFF, count: 65_536)) == 0x0000)
    }

    @Test("an IPv4 echo request has the known bytes, and its checksum verifies to zero")
    func ipv4Request() {
        let packet = PingICMPPacket.echoRequest(family: .v4, identifier: 0x1234, sequence: 1, payload: Array("abcd".utf8))
        #expect(packet == [0x08, 0x00, 0x21, 0x04, 0x12, 0x34, 0x00, 0x01, 0x61, 0x62, 0x63, 0x64])
        #expect(PingICMPPacket.checksum(packet) == 0)
    }

    @Test("an IPv6 echo request is type 128 and leaves the checksum to the kernel")
    func ipv6Request() {
        let packet = PingICMPPacket.echoRequest(family: .v6, identifier: 0xABCD, sequence: 0xFFFF, payload: [9])
        #expect(packet == [128, 0, 0, 0, 0xAB, 0xCD, 0xFF, 0xFF, 9])
    }

    @Test("the payload starts with the token, big-endian, then counts")
    func payload() {
        let full = PingICMPPacket.payload(token: 0x0102_0304_0506_0708, size: 12)
        #expect(full == [1, 2, 3, 4, 5, 6, 7, 8, 8, 9, 10, 11])
        #expect(PingICMPPacket.payload(token: 0x0102_0304_0506_0708, size: 3) == [1, 2, 3])
        #expect(PingICMPPacket.payload(token: 1, size: 0).isEmpty)
        #expect(PingICMPPacket.payload(token: 1, size: 300).count == 300)
    }

    @Test("an IPv4 reply behind its IP header parses, options included")
    func ipv4ReplyWithHeader() throws {
        let parsed = try #require(PingICMPPacket.parseEchoReply(ipv4(reply()), family: .v4, includesIPHeader: true))
        #expect(parsed == PingICMPPacket.EchoReply(identifier: 0x1234, sequence: 7, payload: Array("abcd".utf8)))
        let withOptions = PingICMPPacket.parseEchoReply(ipv4(reply(), headerWords: 6), family: .v4, includesIPHeader: true)
        #expect(withOptions?.sequence == 7)
    }

    @Test("an IPv4 reply from a datagram socket has no IP header")
    func ipv4ReplyWithoutHeader() {
        #expect(PingICMPPacket.parseEchoReply(reply(sequence: 9), family: .v4, includesIPHeader: false)?.sequence == 9)
    }

    @Test("an IPv6 reply is type 129")
    func ipv6Reply() {
        let message: [UInt8] = [129, 0, 0x12, 0x34, 0, 5, 0, 6, 0xAA]
        #expect(
            PingICMPPacket.parseEchoReply(message, family: .v6, includesIPHeader: false)
                == PingICMPPacket.EchoReply(identifier: 5, sequence: 6, payload: [0xAA]))
        #expect(PingICMPPacket.parseEchoReply([128, 0, 0, 0, 0, 5, 0, 6], family: .v6, includesIPHeader: false) == nil)
    }

    @Test("anything but a well-formed echo reply is refused")
    func refusals() {
        var corrupted = reply()
        corrupted[9] ^= 0xFF
        var badCode = reply()
        badCode[1] = 3
        var truncatedHeader = ipv4(reply())
        truncatedHeader[0] = 0x4F  // claims 60 bytes of header
        let cases: [(String, [UInt8], Bool)] = [
            ("echo request (our own, seen on loopback)", ipv4(reply(type: 8)), true),
            ("destination unreachable", ipv4(reply(type: 3)), true),
            ("bad checksum", ipv4(corrupted), true),
            ("non-zero code", ipv4(badCode), true),
            ("header length beyond the packet", truncatedHeader, true),
            ("header length below 20", ipv4(reply(), headerWords: 4), true),
            ("not ICMP", ipv4(reply(), protocolNumber: 17), true),
            ("IPv6 version nibble", [0x60] + ipv4(reply()).dropFirst(), true),
            ("IP header only", Array(ipv4(reply()).prefix(24)), true),
            ("empty", [], true),
            ("short ICMP message", Array(reply().prefix(7)), false),
        ]
        for (name, bytes, header) in cases {
            #expect(PingICMPPacket.parseEchoReply(bytes, family: .v4, includesIPHeader: header) == nil, "\(name)")
        }
    }

    @Test("random bytes never crash the parser")
    func fuzz() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let length = Int.random(in: 0...80, using: &generator)
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = PingICMPPacket.parseEchoReply(bytes, family: .v4, includesIPHeader: true)
            _ = PingICMPPacket.parseEchoReply(bytes, family: .v4, includesIPHeader: false)
            _ = PingICMPPacket.parseEchoReply(bytes, family: .v6, includesIPHeader: false)
        }
        #expect(PingICMPPacket.parseEchoReply(ipv4(reply()), family: .v4, includesIPHeader: true) != nil)
    }
}
