/// CRC-32 as used by zlib, PNG and Ethernet (IEEE 802.3, reflected polynomial 0xEDB88320).
///
/// Written here rather than taken from zlib so the journal has no C dependency; the byte-wise
/// table is fast enough that checksumming stays far below the cost of the write itself.
public enum CRC32 {
    /// The checksum of `bytes`; `checksum("123456789".utf8) == 0xCBF43926`.
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        if let crc = bytes.withContiguousStorageIfAvailable({ update(0, $0) }) { return crc }
        return update(0, Array(bytes))
    }

    /// Continues a checksum: `update(checksum(a), b) == checksum(a + b)`. Start from 0.
    public static func update(_ crc: UInt32, _ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { update(crc, $0) }
    }

    /// Continues a checksum over raw memory; the journal's hot path.
    public static func update(_ crc: UInt32, _ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        table.withUnsafeBufferPointer { table in
            var value = ~crc
            for byte in bytes {
                value = table[Int((value ^ UInt32(byte)) & 0xFF)] ^ (value >> 8)
            }
            return ~value
        }
    }

    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 {
            value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1
        }
        return value
    }
}
