/// The RDATA of an SOA record (RFC 1035 §3.3.13).
struct DNSStartOfAuthority: Hashable, Sendable {
    var primaryServer: DNSName
    /// The responsible mailbox, with its first dot standing for the "@".
    var responsibleMailbox: DNSName
    var serial: UInt32
    var refresh: UInt32
    var retry: UInt32
    var expire: UInt32
    var minimum: UInt32
}
