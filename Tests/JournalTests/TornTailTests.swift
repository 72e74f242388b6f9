import Foundation
import Journal
import Testing

/// What a crash can leave at the end of the last segment, and how opening the journal deals with it.
@Suite struct TornTailTests {
    enum Damage: String, CaseIterable, Sendable {
        case partialLine
        case wrongChecksum
        case garbage
        case validLineWithWrongSequence
        case goodLineThenPartial

        /// Bytes to append after records 1...10. None of them may survive.
        var bytes: [UInt8] {
            switch self {
            case .partialLine:
                return Array(expectedLine(sequence: 11, payload: "cut short").dropLast(4))
            case .wrongChecksum:
                var line = expectedLine(sequence: 11, payload: "bit rot")
                line[3] = line[3] == 0x30 ? 0x31 : 0x30
                return line
            case .garbage:
                // A fixed generator, so the bytes are the same on every run; it includes newlines and NULs.
                var state: UInt64 = 0x9E37_79B9_7F4A_7C15
                return (0..<700).map { _ in
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    return UInt8(truncatingIfNeeded: state >> 56)
                }
            case .validLineWithWrongSequence:
                return expectedLine(sequence: 12, payload: "skips 11")
            case .goodLineThenPartial:
                return expectedLine(sequence: 11, payload: "this one is fine")
                    + Array(expectedLine(sequence: 12, payload: "this one is not").prefix(9))
            }
        }

        /// How many appended bytes form complete, valid records that recovery keeps.
        var keptBytes: Int {
            self == .goodLineThenPartial ? expectedLine(sequence: 11, payload: "this one is fine").count : 0
        }
    }

    @Test(arguments: Damage.allCases)
    func tornTailIsCutOffAndAppendingContinues(_ damage: Damage) throws {
        let fixture = try JournalFixture()
        var journal = try fixture.open()
        let originals = (1...10).map { "record \($0)" }
        try journal.append(originals)
        try journal.close()
        let segment = try fixture.lastSegmentPath()
        let goodSize = try fixture.size(of: segment)
        try fixture.appendBytes(damage.bytes, to: segment)

        journal = try fixture.open()
        let kept = damage.keptBytes
        let cut = Int64(damage.bytes.count - kept)
        #expect(try fixture.size(of: segment) == goodSize + Int64(kept))
        #expect(journal.statistics().tornBytesTruncated == cut)
        let warning = fixture.log.entries.first { $0.level == .warning && $0.message.contains("torn") }
        #expect(warning?.metadata["bytes-cut"] == "\(cut)")

        let expectedBefore = originals + (kept > 0 ? ["this one is fine"] : [])
        #expect(journal.lastSequence == UInt64(expectedBefore.count))
        let next = UInt64(expectedBefore.count + 1)
        #expect(try journal.append(["after the crash"]) == next...next)

        try journal.addSubscriber("reader", startingAt: .beginning)
        let batch = try journal.readAll("reader")
        #expect(batch.records.map(\.payload) == expectedBefore + ["after the crash"])
        #expect(batch.records.map(\.sequence) == Array(1...next))
        try journal.close()

        // The repaired file reopens cleanly.
        journal = try fixture.open()
        #expect(journal.statistics().tornBytesTruncated == 0)
        #expect(journal.lastSequence == next)
        try journal.close()
    }

    @Test func aLastSegmentTornToNothingKeepsEarlierSegments() throws {
        let fixture = try JournalFixture(segmentBytes: 40)
        var journal = try fixture.open()
        for index in 1...6 { try journal.append(["record \(index)"]) }
        try journal.close()
        let last = try fixture.lastSegmentPath()
        let firstOfLast = try #require(try fixture.segmentFirstSequences().last)
        try fixture.replaceContents(of: last, with: Array("\(firstOfLast)\tgarbage".utf8))

        journal = try fixture.open()
        #expect(journal.lastSequence == firstOfLast - 1)
        #expect(try fixture.size(of: last) == 0)
        #expect(try journal.append(["again"]) == firstOfLast...firstOfLast)
        try journal.addSubscriber("reader", startingAt: .beginning)
        let payloads = try journal.readAll("reader").records.map(\.payload)
        #expect(payloads == (1..<firstOfLast).map { "record \($0)" } + ["again"])
        try journal.close()
    }

    @Test func aCrashBeforeASealCanTearTheSegmentBeforeTheLast() throws {
        // After a roll, the segment left behind is fsynced only by the next sync: a crash before
        // it can cost that segment its tail while the newer segment survives.
        let fixture = try JournalFixture(segmentBytes: 100)
        var journal = try fixture.open()
        try journal.addSubscriber("reader", startingAt: .beginning)
        for index in 1...6 { try journal.append(["record \(index)"]) }
        try journal.close()
        let firsts = try fixture.segmentFirstSequences()
        #expect(firsts.count >= 2)
        let last = firsts[firsts.count - 1]
        let penultimate = fixture.segmentPath(try fixture.segmentFiles()[firsts.count - 2])
        let bytes = try fixture.contents(of: penultimate)
        let lastLine = expectedLine(sequence: last - 1, payload: "record \(last - 1)")
        // Its last line is half gone, as if the page holding it never reached the disk.
        try fixture.replaceContents(of: penultimate, with: Array(bytes.dropLast(lastLine.count / 2)))

        journal = try fixture.open()
        #expect(journal.statistics().tornBytesTruncated == Int64(lastLine.count - lastLine.count / 2))
        #expect(journal.lastSequence == 6)
        let batch = try journal.readAll("reader")
        #expect(batch.records.map(\.sequence) == Array(1...(last - 2)), "a batch stops before lost records")
        try journal.advance("reader", to: try #require(batch.lastSequence))
        let after = try journal.readAll("reader")
        #expect(after.lostBeforeBatch == 1)
        #expect(after.records.map(\.sequence) == Array(last...6))
        try journal.close()
    }

    @Test func damageInsideAClosedSegmentIsAnErrorNamingFileAndOffset() throws {
        let fixture = try JournalFixture(segmentBytes: 100)
        let journal = try fixture.open()
        try journal.addSubscriber("reader", startingAt: .beginning)
        for index in 1...12 { try journal.append(["record \(index)"]) }
        let first = fixture.segmentPath(try #require(try fixture.segmentFiles().first))
        var bytes = try fixture.contents(of: first)
        let secondLine = try #require(bytes.firstIndex(of: 0x0A)) + 1
        let payloadByte = secondLine + expectedLine(sequence: 2, payload: "record 2").count - 2
        bytes[payloadByte] ^= 0x01
        try fixture.replaceContents(of: first, with: bytes)

        #expect(throws: JournalError.corruptRecord(
            path: first, offset: Int64(secondLine), reason: "checksum mismatch for sequence 2")) {
            try journal.readAll("reader")
        }
        // Records before the damage are still readable one at a time.
        #expect(try journal.readBatch(for: "reader", maxRecords: 1, maxBytes: .max).records.map(\.payload) == ["record 1"])
        try journal.close()
    }
}
