/// A resource record class (RFC 1035 §3.2.4).
struct DNSRecordClass: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    var rawValue: UInt16

    init(rawValue: UInt16) { self.rawValue = rawValue }

    static let internet = DNSRecordClass(rawValue: 1)
    static let chaos = DNSRecordClass(rawValue: 3)
    static let hesiod = DNSRecordClass(rawValue: 4)

    private static let mnemonics: [(String, DNSRecordClass)] = [("IN", .internet), ("CH", .chaos), ("HS", .hesiod)]

    /// The class for "IN", "CH" or "HS" (any case).
    init?(mnemonic: String) {
        let upper = mnemonic.uppercased()
        guard let match = Self.mnemonics.first(where: { $0.0 == upper }) else { return nil }
        self = match.1
    }

    var description: String {
        Self.mnemonics.first { $0.1 == self }?.0 ?? "CLASS\(rawValue)"
    }
}
