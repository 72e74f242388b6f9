/// One entry of the question section.
struct DNSQuestion: Hashable, Sendable {
    var name: DNSName
    var type: DNSRecordType
    var recordClass: DNSRecordClass

    /// Whether `other` asks the same thing: names compare without regard to ASCII case.
    func matches(_ other: DNSQuestion) -> Bool {
        type == other.type && recordClass == other.recordClass && name.matches(other.name)
    }
}
