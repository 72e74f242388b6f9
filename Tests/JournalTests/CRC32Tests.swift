import Journal
import Testing

@Suite struct CRC32Tests {
    @Test func matchesTheStandardCheckValue() {
        #expect(Journal.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum("123456789".utf8) == 0xCBF4_3926)
    }

    @Test func emptyInputIsZero() {
        #expect(CRC32.checksum([UInt8]()) == 0)
    }

    @Test func knownValuesForOtherInputs() {
        // Values from zlib's crc32().
        #expect(CRC32.checksum(Array("a".utf8)) == 0xE8B7_BE43)
        #expect(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
        #expect(CRC32.checksum([UInt8](repeating: 0, count: 32)) == 0x190A_55AD)
    }

    @Test func updateChainsLikeOneChecksum() {
        let whole = Array("sequence\tpayload with ünïcödé".utf8)
        for split in [0, 1, 9, whole.count] {
            let chained = CRC32.update(CRC32.checksum(whole[..<split]), Array(whole[split...]))
            #expect(chained == CRC32.checksum(whole), "split at \(split)")
        }
    }

    @Test func nonContiguousSequencesGiveTheSameResult() {
        let bytes = Array("123456789".utf8)
        #expect(CRC32.checksum(bytes.lazy.map { $0 }) == 0xCBF4_3926)
    }
}
