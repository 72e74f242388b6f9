/// The fixed twelve-byte header of a message, without the section counts (those follow
/// from the sections themselves).
struct DNSHeader: Hashable, Sendable {
    var id: UInt16
    var isResponse = false
    var opcode: UInt8 = 0
    var isAuthoritative = false
    /// TC: the answer did not fit the UDP datagram; ask again over TCP.
    var isTruncated = false
    var recursionDesired = false
    var recursionAvailable = false
    var authenticData = false
    var checkingDisabled = false
    /// The low four bits of the response code.
    var responseCode: UInt8 = 0

    init(id: UInt16) { self.id = id }

    init(id: UInt16, flags: UInt16) {
        self.id = id
        isResponse = flags & 0x8000 != 0
        opcode = UInt8((flags >> 11) & 0x0F)
        isAuthoritative = flags & 0x0400 != 0
        isTruncated = flags & 0x0200 != 0
        recursionDesired = flags & 0x0100 != 0
        recursionAvailable = flags & 0x0080 != 0
        authenticData = flags & 0x0020 != 0
        checkingDisabled = flags & 0x0010 != 0
        responseCode = UInt8(flags & 0x000F)
    }

    var flags: UInt16 {
        var flags = UInt16(opcode & 0x0F) << 11 | UInt16(responseCode & 0x0F)
        if isResponse { flags |= 0x8000 }
        if isAuthoritative { flags |= 0x0400 }
        if isTruncated { flags |= 0x0200 }
        if recursionDesired { flags |= 0x0100 }
        if recursionAvailable { flags |= 0x0080 }
        if authenticData { flags |= 0x0020 }
        if checkingDisabled { flags |= 0x0010 }
        return flags
    }
}
