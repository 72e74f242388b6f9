/// Why bytes received from the network are not a well-formed DNS message. Offsets count from
/// the first byte of the message so that a failure can be matched against a packet dump.
enum DNSParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The message ends before a field that starts at `offset`.
    case truncated(offset: Int)
    /// A label length byte uses the reserved 0x40/0x80 prefixes.
    case badLabelType(offset: Int)
    /// A compression pointer names an offset at or past the end of the message.
    case pointerOutOfBounds(offset: Int, target: Int)
    /// A compression pointer does not point strictly before the labels it continues, which is
    /// the only shape that cannot loop (RFC 1035 §4.1.4 calls the target a *prior* occurrence).
    case pointerLoop(offset: Int, target: Int)
    /// A name is longer than the 255 bytes RFC 1035 §3.1 allows.
    case nameTooLong(offset: Int)
    /// The RDATA of a record does not have the layout its type requires.
    case badRecordData(type: DNSRecordType, offset: Int)

    var description: String {
        switch self {
        case .truncated(let offset): "message truncated at byte \(offset)"
        case .badLabelType(let offset): "invalid label type at byte \(offset)"
        case .pointerOutOfBounds(let offset, let target):
            "compression pointer at byte \(offset) points past the end (to \(target))"
        case .pointerLoop(let offset, let target):
            "compression pointer at byte \(offset) does not point backwards (to \(target)): loop"
        case .nameTooLong(let offset): "name at byte \(offset) is longer than 255 bytes"
        case .badRecordData(let type, let offset): "malformed \(type) record data at byte \(offset)"
        }
    }
}
