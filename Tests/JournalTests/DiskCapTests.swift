import Journal
import Logging
import Testing

/// Past `maxBytes` the oldest segments go even if a subscriber still needs them, and it is told.
@Suite struct DiskCapTests {
    static let segmentBytes = 256
    static let maxBytes: Int64 = 1024

    static func payload(_ sequence: Int) -> String {
        let digits = String(sequence)
        return "record-" + String(repeating: "0", count: 4 - digits.count) + digits
    }

    @Test func oldestSegmentsAreDroppedAndTheLaggardIsToldExactlyWhatItLost() throws {
        let fixture = try JournalFixture(segmentBytes: Self.segmentBytes, maxBytes: Self.maxBytes)
        var journal = try fixture.open()
        try journal.addSubscriber("slow", startingAt: .beginning)
        try journal.addSubscriber("fast", startingAt: .beginning)
        for sequence in 1...300 {
            try journal.append([Self.payload(sequence)])
            // The fast one keeps up so that only the slow one is named when records are lost.
            let batch = try journal.readAll("fast")
            #expect(batch.records.map(\.sequence) == [UInt64(sequence)])
            try journal.advance("fast", to: UInt64(sequence))
            #expect(try fixture.bytesOnDisk() <= Self.maxBytes + Int64(Self.segmentBytes))
        }

        let statistics = journal.statistics()
        let firstKept = try #require(statistics.firstSequence)
        #expect(statistics.droppedSegments > 0)
        #expect(statistics.droppedRecords == firstKept - 1)
        #expect(statistics.totalBytes == (try fixture.bytesOnDisk()))
        #expect(statistics.totalBytes <= Self.maxBytes)
        #expect(statistics.segmentCount == (try fixture.segmentFiles().count))
        #expect(try fixture.segmentFirstSequences().first == firstKept)

        let errors = fixture.log.entries.filter { $0.level == .error }
        #expect(UInt64(errors.count) == statistics.droppedSegments)
        let firstError = try #require(errors.first)
        #expect(firstError.message.contains("slow") && !firstError.message.contains("fast"))
        #expect(firstError.metadata["segment"]?.description.hasSuffix("00000000000000000001.journal") == true)
        #expect(firstError.metadata["first-sequence"] == "1")
        #expect(firstError.metadata["unread-by"] == .array(["slow"]))

        let batch = try journal.readAll("slow")
        #expect(batch.lostBeforeBatch == firstKept - 1)
        #expect(batch.records.first?.sequence == firstKept)
        #expect(batch.records.map(\.sequence) == Array(firstKept...300))
        #expect(batch.records.map(\.payload) == (Int(firstKept)...300).map(Self.payload))

        // The checkpoint moved past the loss durably, so it is reported once, even across a reopen.
        #expect(journal.subscribers().first { $0.name == "slow" }?.checkpoint == firstKept - 1)
        #expect(try fixture.checkpointFileContents("slow") == "\(firstKept - 1)\n")
        #expect(try journal.readAll("slow").lostBeforeBatch == 0)
        try journal.close()
        journal = try fixture.open()
        let again = try journal.readAll("slow")
        #expect(again.lostBeforeBatch == 0)
        #expect(again.records.first?.sequence == firstKept)
        try journal.close()
    }

    @Test func lossIsReportedAtTheBatchThatFollowsIt() throws {
        let fixture = try JournalFixture(segmentBytes: Self.segmentBytes, maxBytes: Self.maxBytes)
        let journal = try fixture.open()
        try journal.addSubscriber("reader", startingAt: .beginning)
        try journal.append((1...5).map(Self.payload))
        // Read part of the first segment; the cap then takes it away.
        let first = try journal.readBatch(for: "reader", maxRecords: 3, maxBytes: .max)
        #expect(first.records.map(\.sequence) == [1, 2, 3])
        try journal.advance("reader", to: 3)
        for sequence in 6...200 { try journal.append([Self.payload(sequence)]) }

        let firstKept = try #require(journal.statistics().firstSequence)
        let batch = try journal.readBatch(for: "reader", maxRecords: 2, maxBytes: .max)
        #expect(batch.lostBeforeBatch == firstKept - 4)
        #expect(batch.records.map(\.sequence) == [firstKept, firstKept + 1])
        try journal.close()
    }

    @Test func lossFoundWhileReadingAheadLeavesTheCheckpoint() throws {
        let fixture = try JournalFixture(segmentBytes: Self.segmentBytes, maxBytes: Self.maxBytes)
        let journal = try fixture.open()
        try journal.addSubscriber("reader", startingAt: .beginning)
        try journal.append((1...5).map(Self.payload))
        let first = try journal.readBatch(for: "reader", maxRecords: 3, maxBytes: .max)
        for sequence in 6...200 { try journal.append([Self.payload(sequence)]) }
        let firstKept = try #require(journal.statistics().firstSequence)
        // Batch 1...3 is still unacknowledged: the loss is reported, but moving the checkpoint
        // past it would acknowledge that batch.
        let ahead = try journal.readBatch(for: "reader", after: first.lastSequence, maxRecords: 2, maxBytes: .max)
        #expect(ahead.lostBeforeBatch == firstKept - 4)
        #expect(ahead.records.map(\.sequence) == [firstKept, firstKept + 1])
        #expect(journal.subscribers().first?.checkpoint == 0)
        try journal.close()
    }

    @Test func capIsAppliedWhenOpeningWithASmallerLimit() throws {
        var fixture = try JournalFixture(segmentBytes: Self.segmentBytes)
        var journal = try fixture.open()
        for sequence in 1...200 { try journal.append([Self.payload(sequence)]) }
        try journal.close()
        #expect(try fixture.bytesOnDisk() > Self.maxBytes)

        fixture.configuration.maxBytes = Self.maxBytes
        journal = try fixture.open()
        #expect(try fixture.bytesOnDisk() <= Self.maxBytes)
        #expect(journal.statistics().droppedSegments > 0)
        // Nobody subscribed, so nobody lost anything: a warning, not an error.
        #expect(fixture.log.entries.contains { $0.level == .warning && $0.message.contains("disk cap") })
        #expect(!fixture.log.entries.contains { $0.level == .error })
        try journal.close()
    }
}
