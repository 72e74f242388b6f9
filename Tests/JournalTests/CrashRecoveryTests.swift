import Journal
import Testing

/// A crash can lose an unsynced tail that a subscriber had already acknowledged.
@Suite struct CrashRecoveryTests {
    @Test func sequencesNeverRepeatWhenAnAcknowledgedTailIsLost() throws {
        let fixture = try JournalFixture(fsyncIntervalMilliseconds: 60_000)
        var journal = try fixture.open()
        try journal.addSubscriber("quick", startingAt: .beginning)
        try journal.addSubscriber("behind", startingAt: .beginning)
        try journal.append((1...10).map { "record \($0)" })
        try journal.advance("quick", to: 10)
        try journal.advance("behind", to: 3)
        try journal.close()
        // Simulate the page cache never reaching the disk for records 6-10.
        let segment = try fixture.lastSegmentPath()
        let kept = (1...5).flatMap { expectedLine(sequence: UInt64($0), payload: "record \($0)") }
        try fixture.replaceContents(of: segment, with: kept)

        journal = try fixture.open()
        #expect(journal.lastSequence == 10, "10 was handed out and acknowledged; it must not be reused")
        #expect(try journal.append(["record 11"]) == 11...11)
        #expect(try fixture.segmentFirstSequences() == [1, 11], "the jump starts a new segment")

        let quick = try journal.readAll("quick")
        #expect(quick.records.map(\.sequence) == [11])
        #expect(quick.lostBeforeBatch == 0)

        let behindFirst = try journal.readAll("behind")
        #expect(behindFirst.records.map(\.sequence) == [4, 5], "a batch stops before lost records")
        #expect(behindFirst.lostBeforeBatch == 0)
        try journal.advance("behind", to: 5)
        let behindSecond = try journal.readAll("behind")
        #expect(behindSecond.lostBeforeBatch == 5)
        #expect(behindSecond.records.map(\.payload) == ["record 11"])
        try journal.close()

        // The jump between segments is not mistaken for damage on the next open.
        journal = try fixture.open()
        #expect(journal.lastSequence == 11)
        #expect(journal.statistics().tornBytesTruncated == 0)
        try journal.close()
    }

    @Test func lossPastTheLastRecordOnDiskIsReported() throws {
        let fixture = try JournalFixture(fsyncIntervalMilliseconds: 60_000)
        var journal = try fixture.open()
        try journal.addSubscriber("quick", startingAt: .beginning)
        try journal.addSubscriber("behind", startingAt: .beginning)
        try journal.append((1...10).map { "record \($0)" })
        try journal.advance("quick", to: 10)
        try journal.advance("behind", to: 7)
        try journal.close()
        try fixture.replaceContents(of: try fixture.lastSegmentPath(), with: expectedLine(sequence: 1, payload: "record 1"))

        journal = try fixture.open()
        let batch = try journal.readAll("behind")
        #expect(batch.records.isEmpty)
        #expect(batch.lostBeforeBatch == 3)
        #expect(journal.subscribers().map(\.checkpoint) == [10, 10])
        #expect(try journal.append(["record 11"]) == 11...11)
        #expect(try journal.readAll("behind").records.map(\.sequence) == [11])
        try journal.close()
    }
}
