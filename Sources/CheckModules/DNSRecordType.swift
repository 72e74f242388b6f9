/// A resource record type (RFC 1035 §3.2.2 and successors), kept as its number so that
/// records of types this module does not decode still parse.
struct DNSRecordType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    var rawValue: UInt16

    init(rawValue: UInt16) { self.rawValue = rawValue }

    static let a = DNSRecordType(rawValue: 1)
    static let ns = DNSRecordType(rawValue: 2)
    static let cname = DNSRecordType(rawValue: 5)
    static let soa = DNSRecordType(rawValue: 6)
    static let ptr = DNSRecordType(rawValue: 12)
    static let mx = DNSRecordType(rawValue: 15)
    static let txt = DNSRecordType(rawValue: 16)
    static let aaaa = DNSRecordType(rawValue: 28)
    static let srv = DNSRecordType(rawValue: 33)
    static let opt = DNSRecordType(rawValue: 41)

    private static let mnemonics: [(String, DNSRecordType)] = [
        ("A", .a), ("NS", .ns), ("CNAME", .cname), ("SOA", .soa), ("PTR", .ptr), ("MX", .mx),
        ("TXT", .txt), ("AAAA", .aaaa), ("SRV", .srv), ("OPT", .opt),
    ]

    /// The type for a mnemonic such as "AAAA" (any case); nil for mnemonics this module does not know.
    init?(mnemonic: String) {
        let upper = mnemonic.uppercased()
        guard let match = Self.mnemonics.first(where: { $0.0 == upper }) else { return nil }
        self = match.1
    }

    /// "AAAA" for known types, RFC 3597's "TYPE<n>" for the rest.
    var description: String {
        Self.mnemonics.first { $0.1 == self }?.0 ?? "TYPE\(rawValue)"
    }
}
