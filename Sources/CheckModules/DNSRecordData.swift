/// The decoded RDATA of one resource record.
enum DNSRecordData: Hashable, Sendable {
    /// Four address bytes.
    case a([UInt8])
    /// Sixteen address bytes.
    case aaaa([UInt8])
    case cname(DNSName)
    case ns(DNSName)
    case ptr(DNSName)
    case mx(preference: UInt16, exchange: DNSName)
    /// The character-strings of the record, in order.
    case txt([[UInt8]])
    case soa(DNSStartOfAuthority)
    case srv(priority: UInt16, weight: UInt16, port: UInt16, target: DNSName)
    /// RDATA of a type this module does not decode (OPT included), kept as bytes.
    case other([UInt8])
}
