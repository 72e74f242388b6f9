/// One segment file as the journal tracks it in memory.
struct Segment: Sendable {
    /// The sequence of its first record, which is also its file name.
    let firstSequence: UInt64
    /// The sequence of its last record; `firstSequence - 1` while it is empty.
    var lastSequence: UInt64
    /// Bytes of complete, valid lines: the file is never read past this.
    var bytes: Int64
    let path: String

    init(firstSequence: UInt64, lastSequence: UInt64, bytes: Int64, directory: String) {
        self.firstSequence = firstSequence
        self.lastSequence = lastSequence
        self.bytes = bytes
        self.path = directory + "/" + Segment.fileName(firstSequence: firstSequence)
    }

    var isEmpty: Bool { lastSequence < firstSequence }

    var recordCount: UInt64 { isEmpty ? 0 : lastSequence - firstSequence + 1 }

    static let fileSuffix = ".journal"

    /// Zero-padded so that a directory listing sorts in sequence order for a person looking at it.
    static func fileName(firstSequence: UInt64) -> String {
        let digits = String(firstSequence)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + fileSuffix
    }

    /// The first sequence named by a segment file name, or nil when the name is not a segment's.
    static func firstSequence(fromFileName name: String) -> UInt64? {
        guard name.hasSuffix(fileSuffix) else { return nil }
        let digits = name.dropLast(fileSuffix.count)
        guard digits.utf8.count == 20, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let value = UInt64(digits), value > 0
        else { return nil }
        return value
    }
}
