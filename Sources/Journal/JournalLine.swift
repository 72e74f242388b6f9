/// The on-disk form of one record: `<sequence>\t<crc32 as 8 lowercase hex>\t<payload>\n`, where the
/// CRC covers `<sequence>\t<payload>`. Including the sequence in the checksum means a line that was
/// copied to the wrong place, or whose number was damaged, fails the check like any other damage.
enum JournalLine {
    static let newline: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let tab: UInt8 = 0x09

    /// Bytes a line adds beyond its payload, at most: 20 digits, two tabs, 8 hex digits, a newline.
    static let maximumOverhead = 31

    static func containsLineBreak(_ payload: String) -> Bool {
        payload.utf8.contains { $0 == newline || $0 == carriageReturn }
    }

    /// Appends the encoded line to `buffer`. The payload must not contain a line break.
    static func encode(sequence: UInt64, payload: String, into buffer: inout [UInt8]) {
        let sequenceStart = buffer.count
        var remaining = sequence
        repeat {
            buffer.append(0x30 + UInt8(remaining % 10))
            remaining /= 10
        } while remaining > 0
        buffer[sequenceStart...].reverse()
        let sequenceEnd = buffer.count
        buffer.append(tab)
        let checksumStart = buffer.count
        buffer.append(contentsOf: repeatElement(0x30, count: 8))
        buffer.append(tab)
        let payloadStart = buffer.count
        buffer.append(contentsOf: payload.utf8)
        let crc = buffer.withUnsafeBufferPointer { bytes in
            // `sequenceEnd` is the tab, so the first range is "<sequence>\t".
            let overHeader = CRC32.update(0, UnsafeBufferPointer(rebasing: bytes[sequenceStart...sequenceEnd]))
            return CRC32.update(overHeader, UnsafeBufferPointer(rebasing: bytes[payloadStart...]))
        }
        for digit in 0..<8 {
            buffer[checksumStart + digit] = hexDigit(UInt8((crc >> UInt32(28 - 4 * digit)) & 0xF))
        }
        buffer.append(newline)
    }

    enum Parsed {
        /// `payload` indexes into the parsed line.
        case valid(sequence: UInt64, payload: Range<Int>)
        case invalid(reason: String)
    }

    /// Parses one line without its newline. With `verifyChecksum` false only the framing and the
    /// sequence are checked: enough to skip over records another check already vouched for.
    static func parse(_ line: UnsafeBufferPointer<UInt8>, verifyChecksum: Bool) -> Parsed {
        var index = 0
        var sequence: UInt64 = 0
        while index < line.count, line[index] != tab {
            let digit = line[index] &- 0x30
            guard digit < 10, index < 20 else { return .invalid(reason: "bad sequence number") }
            let (times10, overflow1) = sequence.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit))
            guard !overflow1, !overflow2 else { return .invalid(reason: "sequence number overflows") }
            sequence = sum
            index += 1
        }
        let sequenceEnd = index
        guard sequenceEnd > 0 else { return .invalid(reason: "missing sequence number") }
        guard line.count >= sequenceEnd + 10, line[sequenceEnd + 9] == tab else {
            return .invalid(reason: "missing checksum field")
        }
        let payloadStart = sequenceEnd + 10
        guard verifyChecksum else { return .valid(sequence: sequence, payload: payloadStart..<line.count) }
        var stored: UInt32 = 0
        for position in sequenceEnd + 1..<sequenceEnd + 9 {
            guard let nibble = hexValue(line[position]) else { return .invalid(reason: "bad checksum field") }
            stored = stored << 4 | UInt32(nibble)
        }
        let overHeader = CRC32.update(0, UnsafeBufferPointer(rebasing: line[0...sequenceEnd]))
        let computed = CRC32.update(overHeader, UnsafeBufferPointer(rebasing: line[payloadStart...]))
        guard computed == stored else {
            return .invalid(reason: "checksum mismatch for sequence \(sequence)")
        }
        return .valid(sequence: sequence, payload: payloadStart..<line.count)
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 + nibble : 0x61 + nibble - 10
    }

    /// Lowercase only, as written: an uppercase digit means the line was not written by us.
    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
