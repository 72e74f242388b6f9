import Foundation
import Journal
import Testing

@Suite struct SubscriberTests {
    @Test func twoSubscribersReadAfterTheirOwnCheckpoints() throws {
        let fixture = try JournalFixture(segmentBytes: 128)
        let journal = try fixture.open()
        try journal.addSubscriber("alpha", startingAt: .beginning)
        try journal.addSubscriber("beta", startingAt: .beginning)
        try journal.append((1...20).map { "r\($0)" })
        try journal.advance("alpha", to: 5)
        try journal.advance("beta", to: 12)

        let alpha = try journal.readAll("alpha")
        let beta = try journal.readAll("beta")
        #expect(alpha.records.map(\.sequence) == Array(6...20))
        #expect(alpha.records.map(\.payload) == (6...20).map { "r\($0)" })
        #expect(alpha.lastSequence == 20)
        #expect(beta.records.map(\.sequence) == Array(13...20))
        #expect(beta.lostBeforeBatch == 0)
        #expect(
            journal.subscribers() == [
                SubscriberStatus(name: "alpha", checkpoint: 5, lag: 15),
                SubscriberStatus(name: "beta", checkpoint: 12, lag: 8),
            ])
        try journal.close()
    }

    /// A feed with batches in flight reads on after the last one sent, not after its
    /// checkpoint; the checkpoint still moves only on advance.
    @Test func readingAheadOfTheCheckpoint() throws {
        let fixture = try JournalFixture(segmentBytes: 128)
        let journal = try fixture.open()
        try journal.addSubscriber("reader", startingAt: .beginning)
        try journal.append((1...20).map { "r\($0)" })
        let first = try journal.readBatch(for: "reader", maxRecords: 6, maxBytes: .max)
        let second = try journal.readBatch(for: "reader", after: first.lastSequence, maxRecords: 6, maxBytes: .max)
        let third = try journal.readBatch(for: "reader", after: second.lastSequence, maxRecords: 100, maxBytes: .max)
        #expect(first.records.map(\.sequence) == Array(1...6))
        #expect(second.records.map(\.sequence) == Array(7...12))
        #expect(third.records.map(\.sequence) == Array(13...20))
        #expect(journal.subscribers().first?.checkpoint == 0)
        // Behind the checkpoint, `after` changes nothing.
        try journal.advance("reader", to: 12)
        #expect(try journal.readBatch(for: "reader", after: 3, maxRecords: 2, maxBytes: .max).records.map(\.sequence) == [13, 14])
        #expect(try journal.readBatch(for: "reader", after: 20, maxRecords: 2, maxBytes: .max).records.isEmpty)
        try journal.close()
    }

    @Test func batchesRespectRecordAndByteLimits() throws {
        let fixture = try JournalFixture()
        let journal = try fixture.open()
        try journal.addSubscriber("reader", startingAt: .beginning)
        try journal.append((0..<10).map { "payload-\($0)" })  // 9 bytes each
        try journal.append([String(repeating: "x", count: 100)])

        let byCount = try journal.readBatch(for: "reader", maxRecords: 3, maxBytes: .max)
        #expect(byCount.records.map(\.sequence) == [1, 2, 3])
        #expect(byCount.lastSequence == 3)

        let byBytes = try journal.readBatch(for: "reader", maxRecords: 100, maxBytes: 27)
        #expect(byBytes.records.map(\.sequence) == [1, 2, 3], "27 bytes hold exactly three 9-byte payloads")
        let justUnder = try journal.readBatch(for: "reader", maxRecords: 100, maxBytes: 26)
        #expect(justUnder.records.map(\.sequence) == [1, 2])

        let tiny = try journal.readBatch(for: "reader", maxRecords: 100, maxBytes: 1)
        #expect(tiny.records.map(\.sequence) == [1], "the first record comes even when it is larger than maxBytes")

        try journal.advance("reader", to: 10)
        let oversized = try journal.readBatch(for: "reader", maxRecords: 100, maxBytes: 10)
        #expect(oversized.records.map(\.sequence) == [11])
        #expect(oversized.records.first?.payload.count == 100)

        try journal.advance("reader", to: 11)
        let caughtUp = try journal.readBatch(for: "reader", maxRecords: 100, maxBytes: 100)
        #expect(caughtUp.records.isEmpty)
        #expect(caughtUp.lastSequence == nil)
        #expect(caughtUp.lostBeforeBatch == 0)
        try journal.close()
    }

    @Test func checkpointsSurviveReopen() throws {
        let fixture = try JournalFixture(segmentBytes: 64)
        var journal = try fixture.open()
        try journal.addSubscriber("alpha", startingAt: .beginning)
        try journal.addSubscriber("beta", startingAt: .beginning)
        try journal.append((1...9).map { "r\($0)" })
        try journal.advance("alpha", to: 4)
        try journal.advance("beta", to: 7)
        try journal.close()
        #expect(try fixture.checkpointFileContents("alpha") == "4\n")
        #expect(try fixture.checkpointFileContents("beta") == "7\n")

        journal = try fixture.open()
        #expect(
            journal.subscribers() == [
                SubscriberStatus(name: "alpha", checkpoint: 4, lag: 5),
                SubscriberStatus(name: "beta", checkpoint: 7, lag: 2),
            ])
        #expect(try journal.readAll("alpha").records.map(\.sequence) == [5, 6, 7, 8, 9])
        #expect(try journal.readAll("beta").records.map(\.payload) == ["r8", "r9"])
        try journal.close()
    }

    @Test func advanceRefusesToGoBackwardsOrPastTheEnd() throws {
        let fixture = try JournalFixture()
        let journal = try fixture.open()
        try journal.addSubscriber("reader", startingAt: .beginning)
        try journal.append(["a", "b", "c", "d"])
        try journal.advance("reader", to: 3)

        #expect(throws: JournalError.checkpointOutOfRange(subscriber: "reader", requested: 2, checkpoint: 3, lastSequence: 4)) {
            try journal.advance("reader", to: 2)
        }
        #expect(throws: JournalError.checkpointOutOfRange(subscriber: "reader", requested: 5, checkpoint: 3, lastSequence: 4)) {
            try journal.advance("reader", to: 5)
        }
        try journal.advance("reader", to: 3)  // standing still is allowed
        try journal.advance("reader", to: 4)
        #expect(journal.subscribers().first?.checkpoint == 4)
        #expect(try fixture.checkpointFileContents("reader") == "4\n")

        let error = JournalError.checkpointOutOfRange(subscriber: "reader", requested: 2, checkpoint: 3, lastSequence: 4)
        #expect(error.description.contains("'reader'") && error.description.contains("2"))
        try journal.close()
    }

    @Test func unknownSubscribersAreRejected() throws {
        let fixture = try JournalFixture()
        let journal = try fixture.open()
        try journal.append(["a"])
        #expect(throws: JournalError.unknownSubscriber("ghost")) { try journal.readAll("ghost") }
        #expect(throws: JournalError.unknownSubscriber("ghost")) { try journal.advance("ghost", to: 1) }
        #expect(throws: JournalError.unknownSubscriber("ghost")) { try journal.removeSubscriber("ghost") }
        #expect(JournalError.unknownSubscriber("ghost").description == "unknown journal subscriber 'ghost'")
        try journal.close()
    }

    @Test func endStartsAfterExistingRecordsAndBeginningBeforeThem() throws {
        let fixture = try JournalFixture()
        let journal = try fixture.open()
        try journal.append(["old 1", "old 2", "old 3"])
        try journal.addSubscriber("late", startingAt: .end)
        try journal.addSubscriber("early", startingAt: .beginning)
        #expect(journal.subscribers().map(\.checkpoint) == [0, 3])  // early, late

        #expect(try journal.readAll("late").records.isEmpty)
        try journal.append(["new 4"])
        #expect(try journal.readAll("late").records.map(\.payload) == ["new 4"])
        #expect(try journal.readAll("early").records.map(\.payload) == ["old 1", "old 2", "old 3", "new 4"])
        try journal.close()
    }

    @Test func addingAnExistingSubscriberKeepsItsCheckpoint() throws {
        let fixture = try JournalFixture()
        var journal = try fixture.open()
        try journal.append(["a", "b", "c"])
        try journal.addSubscriber("reader", startingAt: .beginning)
        try journal.advance("reader", to: 1)
        try journal.addSubscriber("reader", startingAt: .end)
        #expect(journal.subscribers() == [SubscriberStatus(name: "reader", checkpoint: 1, lag: 2)])
        try journal.close()

        journal = try fixture.open()
        try journal.addSubscriber("reader", startingAt: .beginning)
        #expect(journal.subscribers() == [SubscriberStatus(name: "reader", checkpoint: 1, lag: 2)])
        try journal.close()
    }

    @Test func removedSubscriberIsForgottenOnDiskToo() throws {
        let fixture = try JournalFixture()
        var journal = try fixture.open()
        try journal.addSubscriber("keep", startingAt: .beginning)
        try journal.addSubscriber("drop", startingAt: .beginning)
        try journal.removeSubscriber("drop")
        #expect(journal.subscribers().map(\.name) == ["keep"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.subscribersPath) == ["keep.checkpoint"])
        try journal.close()
        journal = try fixture.open()
        #expect(journal.subscribers().map(\.name) == ["keep"])
        try journal.close()
    }

    @Test(arguments: ["", ".hidden", "..", "a/b", "with space", "tab\there", "ünï", String(repeating: "a", count: 129)])
    func invalidSubscriberNamesAreRejected(_ name: String) throws {
        let fixture = try JournalFixture()
        let journal = try fixture.open()
        #expect(throws: JournalError.invalidSubscriberName(name)) { try journal.addSubscriber(name, startingAt: .end) }
        #expect(journal.subscribers().isEmpty)
        try journal.close()
    }

    @Test(arguments: ["a", "agg-1.example_com", "A.B-C_9", String(repeating: "z", count: 128)])
    func validSubscriberNamesAreAccepted(_ name: String) throws {
        let fixture = try JournalFixture()
        let journal = try fixture.open()
        try journal.addSubscriber(name, startingAt: .end)
        #expect(journal.subscribers().map(\.name) == [name])
        #expect(try fixture.checkpointFileContents(name) == "0\n")
        try journal.close()
    }

    @Test func leftoverTemporaryCheckpointIsIgnoredAndRemoved() throws {
        let fixture = try JournalFixture()
        var journal = try fixture.open()
        try journal.append(["a", "b"])
        try journal.addSubscriber("reader", startingAt: .beginning)
        try journal.advance("reader", to: 1)
        try journal.close()
        // A crash between writing the temporary file and renaming it.
        let temporary = fixture.subscribersPath + "/reader.checkpoint.tmp"
        try fixture.replaceContents(of: temporary, with: Array("2\n".utf8))

        journal = try fixture.open()
        #expect(journal.subscribers().first?.checkpoint == 1)
        #expect(!FileManager.default.fileExists(atPath: temporary))
        try journal.close()
    }

    @Test func corruptCheckpointFileIsAnError() throws {
        let fixture = try JournalFixture()
        let journal = try fixture.open()
        try journal.addSubscriber("reader", startingAt: .beginning)
        try journal.close()
        let path = fixture.subscribersPath + "/reader.checkpoint"
        try fixture.replaceContents(of: path, with: Array("12x\n".utf8))
        #expect(throws: JournalError.corruptCheckpoint(path: path, content: "12x\n")) { _ = try fixture.open() }
    }
}
