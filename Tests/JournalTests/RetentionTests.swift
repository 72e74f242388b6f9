import Journal
import Testing

/// Segments go once every subscriber has read past them, and not before.
@Suite struct RetentionTests {
    /// 10 records per segment: each line of "payload-NN" with a two-digit sequence is 23 bytes.
    static let segmentBytes = 230

    static func payload(_ sequence: Int) -> String { "payload-\(sequence < 10 ? "0" : "")\(sequence)" }

    @Test func segmentsAreDeletedOnlyWhenBothSubscribersHavePassedThem() throws {
        let fixture = try JournalFixture(segmentBytes: Self.segmentBytes)
        let journal = try fixture.open()
        try journal.addSubscriber("alpha", startingAt: .beginning)
        try journal.addSubscriber("beta", startingAt: .beginning)
        for sequence in 1...55 { try journal.append([Self.payload(sequence)]) }
        // Sequences 1-9 have one digit, so the first segment takes 10 lines of 22-23 bytes.
        let initial = try fixture.segmentFirstSequences()
        #expect(initial == [1, 11, 21, 31, 41, 51])

        try journal.advance("alpha", to: 45)
        #expect(try fixture.segmentFirstSequences() == initial, "beta has read nothing yet")

        try journal.advance("beta", to: 20)
        #expect(try fixture.segmentFirstSequences() == [21, 31, 41, 51], "segments ending at 10 and 20 are passed")

        try journal.advance("beta", to: 29)
        #expect(try fixture.segmentFirstSequences() == [21, 31, 41, 51], "segment 21-30 is not fully read")

        try journal.advance("beta", to: 55)
        #expect(try fixture.segmentFirstSequences() == [41, 51], "alpha at 45 still needs 41-50")

        try journal.advance("alpha", to: 55)
        #expect(try fixture.segmentFirstSequences() == [51], "the open segment always stays")

        let statistics = journal.statistics()
        #expect(statistics.removedSegments == 5)
        #expect(statistics.droppedSegments == 0)
        #expect(statistics.segmentCount == 1)
        #expect(statistics.firstSequence == 51)

        // Reading and appending carry on over the trimmed journal.
        #expect(try journal.readAll("alpha").records.isEmpty)
        try journal.append(["after trim"])
        #expect(try journal.readAll("beta").records.map(\.payload) == ["after trim"])
        try journal.close()
    }

    @Test func withoutSubscribersSegmentsAreKept() throws {
        let fixture = try JournalFixture(segmentBytes: Self.segmentBytes)
        let journal = try fixture.open()
        for sequence in 1...35 { try journal.append([Self.payload(sequence)]) }
        try journal.addSubscriber("temporary", startingAt: .end)
        try journal.removeSubscriber("temporary")
        #expect(try fixture.segmentFirstSequences() == [1, 11, 21, 31])
        #expect(journal.statistics().removedSegments == 0)
        try journal.close()
    }

    @Test func removingTheSlowestSubscriberReleasesItsSegments() throws {
        let fixture = try JournalFixture(segmentBytes: Self.segmentBytes)
        let journal = try fixture.open()
        try journal.addSubscriber("fast", startingAt: .beginning)
        try journal.addSubscriber("slow", startingAt: .beginning)
        for sequence in 1...35 { try journal.append([Self.payload(sequence)]) }
        try journal.advance("fast", to: 25)
        #expect(try fixture.segmentFirstSequences() == [1, 11, 21, 31])
        try journal.removeSubscriber("slow")
        #expect(try fixture.segmentFirstSequences() == [21, 31])
        try journal.close()
    }

    @Test func beginningMeansTheOldestRecordStillOnDisk() throws {
        let fixture = try JournalFixture(segmentBytes: Self.segmentBytes)
        var journal = try fixture.open()
        try journal.addSubscriber("reader", startingAt: .beginning)
        for sequence in 1...25 { try journal.append([Self.payload(sequence)]) }
        try journal.advance("reader", to: 20)
        try journal.close()

        journal = try fixture.open()
        try journal.addSubscriber("newcomer", startingAt: .beginning)
        #expect(journal.subscribers().first { $0.name == "newcomer" }?.checkpoint == 20)
        let batch = try journal.readAll("newcomer")
        #expect(batch.records.first?.sequence == 21)
        #expect(batch.lostBeforeBatch == 0)
        try journal.close()
    }
}
