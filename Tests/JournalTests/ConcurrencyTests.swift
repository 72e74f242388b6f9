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
                        let batch = try journal.readBatch(for: name, maxRecords: maxRecords, maxBytes: 64 << 10)
                        #expect(batch.lostBeforeBatch == 0)
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
}
