import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension PostgresBinaryText {
    /// PostgreSQL's own address family numbers on the wire (not the platform's AF_ values).
    private static let wireFamilyIPv4: UInt8 = 2
    private static let wireFamilyIPv6: UInt8 = 3

    /// An `inet` or `cidr`: family, prefix length, cidr flag, address length, address. An `inet`
    /// that covers one host prints without its prefix length; a `cidr` always has one.
    static func inetText(_ bytes: ByteBuffer) -> String? {
        var buffer = bytes
        guard let (family, bits, isCIDR, length) = buffer.readMultipleIntegers(as: (UInt8, UInt8, UInt8, UInt8).self),
            buffer.readableBytes == Int(length)
        else { return nil }
        let address = Array(buffer.readableBytesView)
        let platformFamily: Int32
        switch (family, length) {
        case (wireFamilyIPv4, 4): platformFamily = AF_INET
        case (wireFamilyIPv6, 16): platformFamily = AF_INET6
        default: return nil
        }
        let maximumBits = Int(length) * 8
        guard Int(bits) <= maximumBits else { return nil }
        var output = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let written = address.withUnsafeBytes { raw in
            inet_ntop(platformFamily, raw.baseAddress, &output, socklen_t(output.count))
        }
        guard written != nil else { return nil }
        let text = String(decoding: output.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return isCIDR == 0 && Int(bits) == maximumBits ? text : "\(text)/\(bits)"
    }
}
