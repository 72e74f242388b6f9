/// A domain name as its labels, without the root label. Comparisons that DNS defines as
/// case-insensitive go through `matches(_:)`; `==` compares bytes.
struct DNSName: Hashable, Sendable, CustomStringConvertible {
    /// Each label's raw bytes; every label is 1...63 bytes long.
    private(set) var labels: [[UInt8]]

    static let root = DNSName(validatedLabels: [])

    /// Only for labels already checked against the RFC 1035 limits (the wire reader and the
    /// text parser do that).
    init(validatedLabels labels: [[UInt8]]) {
        self.labels = labels
    }

    /// Builds a name from labels; nil when a label is empty or longer than 63 bytes or the
    /// whole name would exceed 255 bytes on the wire.
    init?(labels: [[UInt8]]) {
        guard labels.allSatisfy({ (1...63).contains($0.count) }) else { return nil }
        guard labels.reduce(1, { $0 + 1 + $1.count }) <= 255 else { return nil }
        self.labels = labels
    }

    /// Bytes the name takes on the wire without compression, including the root label.
    var wireLength: Int { labels.reduce(1) { $0 + 1 + $1.count } }

    /// DNS name equality: ASCII letters compare without regard to case (RFC 4343).
    func matches(_ other: DNSName) -> Bool {
        guard labels.count == other.labels.count else { return false }
        return zip(labels, other.labels).allSatisfy { left, right in
            left.count == right.count && zip(left, right).allSatisfy { Self.lowercased($0) == Self.lowercased($1) }
        }
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
    }

    /// Presentation format without the trailing dot ("mail.example.com"; the root is ".").
    /// Dots and backslashes inside a label are backslash-escaped and bytes outside printable
    /// ASCII become `\DDD`, so the text reads back to the same name.
    var description: String {
        guard !labels.isEmpty else { return "." }
        return labels.map(Self.presentation).joined(separator: ".")
    }

    private static func presentation(_ label: [UInt8]) -> String {
        var text = ""
        for byte in label {
            switch byte {
            case UInt8(ascii: "."), UInt8(ascii: "\\"):
                text.append("\\")
                text.append(Character(Unicode.Scalar(byte)))
            case 0x21...0x7E:
                text.append(Character(Unicode.Scalar(byte)))
            default:
                let digits = String(byte)
                text.append("\\" + String(repeating: "0", count: 3 - digits.count) + digits)
            }
        }
        return text
    }
}
