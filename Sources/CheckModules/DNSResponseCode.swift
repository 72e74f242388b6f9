/// A response code: the header's four bits, extended to twelve by an EDNS0 OPT record
/// (RFC 6891 §6.1.3).
struct DNSResponseCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    var rawValue: UInt16

    init(rawValue: UInt16) { self.rawValue = rawValue }

    static let noError = DNSResponseCode(rawValue: 0)
    static let formatError = DNSResponseCode(rawValue: 1)
    static let serverFailure = DNSResponseCode(rawValue: 2)
    static let nameError = DNSResponseCode(rawValue: 3)
    static let notImplemented = DNSResponseCode(rawValue: 4)
    static let refused = DNSResponseCode(rawValue: 5)

    private static let names = [
        "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET",
        "NXRRSET", "NOTAUTH", "NOTZONE", "DSOTYPENI",
    ]

    /// The IANA mnemonic ("NXDOMAIN"), or "RCODE<n>" for codes without one.
    var description: String {
        if Int(rawValue) < Self.names.count { return Self.names[Int(rawValue)] }
        if rawValue == 16 { return "BADVERS" }
        return "RCODE\(rawValue)"
    }
}
