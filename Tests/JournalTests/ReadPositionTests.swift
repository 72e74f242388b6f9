import Journal
import Testing

/// Sequential reading resumes where the last batch ended instead of rescanning segments.
@Suite struct ReadPositionTests {
    @Test func sequentialReadingNeverScans() throws {
        let fixture = try JournalFixture(segmentBytes: 1000)
        let journal = try fixture.open()
        try journal.addSubscriber("reader", startingAt: .beginning)
        for start in stride(from: 1, through: 500, by: 10) {
            try journal.append((start..<start + 10).map { "record \($0)" })
        }
        #expect(try fixture.segmentFiles().count > 5)

        var next: UInt64 = 1
        // 500 / 7 rounds up to 72 batches; the bound turns a reader stuck on one batch into a failure.
        for _ in 0..<100 {
            guard let last = try journal.readBatch(for: "reader", maxRecords: 7, maxBytes: .max).lastSequence else { break }
            #expect(last == min(next + 6, 500))
            next = last + 1
            try journal.advance("reader", to: last)
        }
        #expect(next == 501)
        #expect(journal.statistics().positionScans == 0)
    }

    @Test func rereadingABatchReturnsTheSameRecordsWithoutScanning() throws {
        let fixture = try JournalFixture()
        let journal = try fixture.open()
        try journal.addSubscriber("reader", startingAt: .beginning)
        try journal.append((1...50).map { "record \($0)" })
        try journal.advance("reader", to: 10)
        let first = try journal.readBatch(for: "reader", maxRecords: 5, maxBytes: .max)
        #expect(journal.statistics().positionScans == 1, "finding 11 in the middle of a segment needs one scan")
        let retry = try journal.readBatch(for: "reader", maxRecords: 5, maxBytes: .max)
        #expect(retry == first)
        #expect(retry.records.map(\.sequence) == [11, 12, 13, 14, 15])
        #expect(journal.statistics().positionScans == 1)
    }

    @Test func partialAdvanceResumesAtTheRightRecord() throws {
        let fixture = try JournalFixture(segmentBytes: 400)
        let journal = try fixture.open()
        try journal.addSubscriber("reader", startingAt: .beginning)
        try journal.append((1...100).map { "record \($0)" })

        let batch = try journal.readBatch(for: "reader", maxRecords: 30, maxBytes: .max)
        #expect(batch.lastSequence == 30)
        try journal.advance("reader", to: 17)
        let next = try journal.readBatch(for: "reader", maxRecords: 5, maxBytes: .max)
        #expect(next.records.map(\.sequence) == [18, 19, 20, 21, 22])
        #expect(next.records.map(\.payload) == (18...22).map { "record \($0)" })
    }

    @Test func aReopenedJournalFindsMidSegmentCheckpoints() throws {
        let fixture = try JournalFixture()
        var journal = try fixture.open()
        try journal.addSubscriber("reader", startingAt: .beginning)
        try journal.append((1...100).map { "record \($0)" })
        try journal.advance("reader", to: 63)
        try journal.close()

        journal = try fixture.open()
        let batch = try journal.readBatch(for: "reader", maxRecords: 3, maxBytes: .max)
        #expect(batch.records.map(\.payload) == ["record 64", "record 65", "record 66"])
        #expect(journal.statistics().positionScans == 1)
        try journal.close()
    }

    @Test func readerCaughtUpOnTheOpenSegmentSeesNewAppends() throws {
        let fixture = try JournalFixture(segmentBytes: 60)
        let journal = try fixture.open()
        try journal.addSubscriber("reader", startingAt: .beginning)
        for round in 1...20 {
            try journal.append(["round \(round)"])
            let batch = try journal.readAll("reader")
            #expect(batch.records.map(\.payload) == ["round \(round)"])
            try journal.advance("reader", to: UInt64(round))
        }
        #expect(journal.statistics().positionScans == 0)
        try journal.close()
    }
}
