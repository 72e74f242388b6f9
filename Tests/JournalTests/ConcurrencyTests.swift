import Journal
import Testing

@Suite struct ConcurrencyTests {
    static let total = 4000
    static let appendBatch = 40

    /// One task appends while two others read and advance: each reader sees every record exactly
    /// once, in order, while segments roll and are deleted underneath them.
    @Test func readersSeeEveryRecordOnceInOrderWhileAppendsContinue() async throws {
        let fixture = try JournalFixture(segmentBytes: 4096)
        let journal = try fixture.open()
        try journal.addSubscriber("alpha", startingAt: .beginning)
        try journal.addSubscriber("beta", startingAt: .beginning)

        try await withThrowingTaskGroup(of: (String, [JournalEntry]).self) { group in
            group.addTask {
                for start in stride(from: 1, through: Self.total, by: Self.appendBatch) {
                    let payloads = (start..<start + Self.appendBatch).map { "record \($0)" }
                    try journal.append(payloads)
                    await Task.yield()
                }
                return ("writer", [])
            }
            for (name, maxRecords) in [("alpha", 37), ("beta", 500)] {
                group.addTask {
                    var seen = [JournalEntry]()
                    var checkpoint: UInt64 = 0
                    // Bounded by sequence, not by count: lost records must fail the test, not hang it.
                    while checkpoint < UInt64(Self.total) {
                        // After a failure elsewhere the group is cancelled: stop instead of spinning.
                        try Task.checkCancellation()
                        let batch = try journal.readBatch(for: name, maxRecords: maxRecords, maxBytes: 64 << 10)
                        // Nothing is dropped here (1 GiB cap, no crash). A reported loss has already moved
                        // the journal's checkpoint past records this loop never saw, so it could only spin
                        // on empty batches from here: fail at once instead.
                        try #require(batch.lostBeforeBatch == 0, "\(name) after \(checkpoint)")
                        try #require(
                            batch.records.first.map { $0.sequence == checkpoint + 1 } ?? true, "\(name) after \(checkpoint)")
                        guard let last = batch.lastSequence else {
                            await Task.yield()
                            continue
                        }
                        seen += batch.records
                        try journal.advance(name, to: last)
                        checkpoint = last
                    }
                    return (name, seen)
                }
            }
            var readers = 0
            for try await (name, seen) in group where name != "writer" {
                readers += 1
                #expect(seen.map(\.sequence) == Array(1...UInt64(Self.total)), "\(name)")
                #expect(seen.map(\.payload) == (1...Self.total).map { "record \($0)" }, "\(name)")
            }
            #expect(readers == 2)
        }

        #expect(journal.lastSequence == UInt64(Self.total))
        #expect(journal.subscribers().map(\.lag) == [0, 0])
        #expect(try fixture.segmentFiles().count == 1, "every finished segment was read by both and removed")
        #expect(journal.statistics().removedSegments > 0)
        try journal.close()
    }

    /// The interleaving above, replayed from one thread: a slow reader holds a batch while the
    /// writer rolls segments and a fast reader reads and acknowledges everything. Segments the
    /// slow reader has not passed must stay, so it continues exactly after its checkpoint and is
    /// never told it lost records. Deleting segments once the *fastest* subscriber had passed
    /// them made its next read start at the oldest surviving segment with lostBeforeBatch > 0 and
    /// moved its checkpoint over records nobody had dropped.
    @Test func aSlowReaderKeepsTheSegmentsItHasNotPassedWhileAFastOneMovesOn() throws {
        let fixture = try JournalFixture(segmentBytes: RetentionTests.segmentBytes)  // 10 records per segment
        let journal = try fixture.open()
        try journal.addSubscriber("alpha", startingAt: .beginning)
        try journal.addSubscriber("beta", startingAt: .beginning)
        for sequence in 1...15 { try journal.append([RetentionTests.payload(sequence)]) }

        // alpha takes a small batch and is busy with it.
        let held = try journal.readBatch(for: "alpha", maxRecords: 4, maxBytes: .max)
        #expect(held.records.map(\.sequence) == [1, 2, 3, 4])

        // beta reads and acknowledges everything while the writer rolls into new segments.
        var beta = try journal.readAll("beta")
        #expect(beta.records.map(\.sequence) == Array(1...15))
        try journal.advance("beta", to: 15)
        for sequence in 16...35 { try journal.append([RetentionTests.payload(sequence)]) }
        beta = try journal.readAll("beta")
        #expect(beta.records.map(\.sequence) == Array(16...35))
        #expect(beta.lostBeforeBatch == 0)
        try journal.advance("beta", to: 35)
        #expect(try fixture.segmentFirstSequences() == [1, 11, 21, 31], "alpha has not passed any segment")

        // alpha acknowledges its batch and goes on reading: every record, in order, nothing lost.
        try journal.advance("alpha", to: try #require(held.lastSequence))
        #expect(try fixture.segmentFirstSequences() == [1, 11, 21, 31], "alpha is still inside 1-10")
        var seen = held.records.map(\.sequence)
        while true {
            let batch = try journal.readBatch(for: "alpha", maxRecords: 7, maxBytes: .max)
            try #require(batch.lostBeforeBatch == 0, "after \(seen.last ?? 0)")
            guard let last = batch.lastSequence else { break }
            seen += batch.records.map(\.sequence)
            try journal.advance("alpha", to: last)
        }
        #expect(seen == Array(1...35))
        #expect(journal.subscribers().map(\.lag) == [0, 0])
        #expect(try fixture.segmentFirstSequences() == [31], "now both have passed everything but the open segment")
        #expect(journal.statistics().removedSegments == 3)
        #expect(journal.statistics().droppedRecords == 0)
        #expect(!fixture.log.entries.contains { $0.level >= .error }, "nobody lost anything")
        try journal.close()
    }
}
