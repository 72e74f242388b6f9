/// Appends DNS wire format. Names are written uncompressed: queries carry one name, and the
/// encoder only otherwise serves tests and tools.
struct DNSWireWriter {
    private(set) var bytes = [UInt8]()

    mutating func write(_ value: UInt8) { bytes.append(value) }

    mutating func write(_ value: UInt16) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(value & 0xFF))
    }

    mutating func write(_ value: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8((value >> UInt32(shift)) & 0xFF)) }
    }

    mutating func write(bytes more: [UInt8]) { bytes.append(contentsOf: more) }

    mutating func write(_ name: DNSName) {
        for label in name.labels {
            bytes.append(UInt8(label.count))
            bytes.append(contentsOf: label)
        }
        bytes.append(0)
    }

    /// Writes a 16-bit length, then whatever `body` writes, then patches the length in.
    /// Callers keep bodies under 64 KiB (one DNS message cannot be larger).
    mutating func writeLengthPrefixed(_ body: (inout DNSWireWriter) -> Void) {
        let lengthAt = bytes.count
        write(UInt16(0))
        body(&self)
        let length = UInt16(truncatingIfNeeded: bytes.count - lengthAt - 2)
        bytes[lengthAt] = UInt8(length >> 8)
        bytes[lengthAt + 1] = UInt8(length & 0xFF)
    }
}
