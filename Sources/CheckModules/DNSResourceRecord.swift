/// One resource record of the answer, authority or additional section.
struct DNSResourceRecord: Hashable, Sendable {
    var name: DNSName
    var type: DNSRecordType
    /// The class as sent; an OPT record uses the field for its UDP payload size instead.
    var recordClass: DNSRecordClass
    /// TTL as sent; RFC 2181 §8 says to treat values with the top bit set as zero, which
    /// `effectiveTTL` does.
    var ttl: UInt32
    var data: DNSRecordData

    /// The TTL a cache would use, which always fits an `Int32`.
    var effectiveTTL: Int32 { ttl > UInt32(Int32.max) ? 0 : Int32(ttl) }
}
