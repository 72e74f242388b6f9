/// How answers read in the `answer` metric.
extension DNSRecordData {
    /// The RDATA as text: addresses in their usual notation, names without the trailing dot,
    /// MX as "10 mail.example.com", TXT strings concatenated, SRV as "priority weight port
    /// target", SOA as its serial (what changes when the zone does), other types as RFC 3597
    /// `\# <length> <hex>`.
    var presentation: String {
        switch self {
        case .a(let bytes):
            return bytes.map(String.init).joined(separator: ".")
        case .aaaa(let bytes):
            return Self.ipv6Text(bytes)
        case .cname(let name), .ns(let name), .ptr(let name):
            return name.description
        case .mx(let preference, let exchange):
            return "\(preference) \(exchange)"
        case .txt(let strings):
            return strings.map(Self.escapedText).joined()
        case .soa(let soa):
            return String(soa.serial)
        case .srv(let priority, let weight, let port, let target):
            return "\(priority) \(weight) \(port) \(target)"
        case .other(let bytes):
            return "\\# \(bytes.count) " + bytes.map { Self.hexByte($0) }.joined()
        }
    }

    /// TXT bytes as the original module printed them: printable ASCII as is, a backslash
    /// doubled, anything else as `\xx` hex, so invalid UTF-8 and control bytes stay readable.
    static func escapedText(_ bytes: [UInt8]) -> String {
        var text = ""
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\\"): text += "\\\\"
            case 0x20...0x7E: text.append(Character(Unicode.Scalar(byte)))
            default: text += "\\" + hexByte(byte)
            }
        }
        return text
    }

    private static func hexByte(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16)
        return digits.count == 1 ? "0" + digits : digits
    }

    /// RFC 5952 text: lowercase hex, no leading zeros, the longest run of two or more zero
    /// groups (the first on a tie) written as "::".
    static func ipv6Text(_ bytes: [UInt8]) -> String {
        guard bytes.count == 16 else { return bytes.map { hexByte($0) }.joined() }
        let groups = stride(from: 0, to: 16, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
        var bestStart = -1
        var bestLength = 0
        var index = 0
        while index < groups.count {
            guard groups[index] == 0 else {
                index += 1
                continue
            }
            let runStart = index
            while index < groups.count && groups[index] == 0 { index += 1 }
            if index - runStart > bestLength {
                bestStart = runStart
                bestLength = index - runStart
            }
        }
        let hex = groups.map { String($0, radix: 16) }
        guard bestLength >= 2 else { return hex.joined(separator: ":") }
        let head = hex[..<bestStart].joined(separator: ":")
        let tail = hex[(bestStart + bestLength)...].joined(separator: ":")
        return head + "::" + tail
    }
}
