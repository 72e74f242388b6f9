import Journal
import Testing

/// When appended bytes reach stable storage.
@Suite struct SyncTests {
    @Test func syncIfDueHonoursTheIntervalFromAnInjectedClock() throws {
        let fixture = try JournalFixture(fsyncIntervalMilliseconds: 1000)
        let journal = try fixture.open()
        let start = ContinuousClock.now

        try journal.syncIfDue(now: start)
        #expect(journal.statistics().syncCount == 0, "nothing to sync yet")

        try journal.append(["a"])
        #expect(journal.statistics().unsyncedBytes == Int64(expectedLine(sequence: 1, payload: "a").count))
        try journal.syncIfDue(now: start)
        #expect(journal.statistics().syncCount == 1, "the first sync with unsynced bytes is always due")
        #expect(journal.statistics().unsyncedBytes == 0)

        try journal.append(["b"])
        try journal.syncIfDue(now: start + .milliseconds(999))
        #expect(journal.statistics().syncCount == 1, "999 ms is inside the interval")
        #expect(journal.statistics().unsyncedBytes > 0)

        try journal.syncIfDue(now: start + .milliseconds(1000))
        #expect(journal.statistics().syncCount == 2)
        #expect(journal.statistics().unsyncedBytes == 0)

        try journal.syncIfDue(now: start + .seconds(60))
        #expect(journal.statistics().syncCount == 2, "no unsynced bytes, no fsync")

        try journal.append(["c"])
        try journal.sync()
        #expect(journal.statistics().syncCount == 3)
        #expect(journal.statistics().unsyncedBytes == 0)
        try journal.sync()
        #expect(journal.statistics().syncCount == 3, "sync with nothing unsynced does not fsync")
        try journal.close()
    }

    @Test func zeroIntervalSyncsEveryAppend() throws {
        let fixture = try JournalFixture(fsyncIntervalMilliseconds: 0)
        let journal = try fixture.open()
        for count in 1...3 {
            try journal.append(["record \(count)", "more"])
            #expect(journal.statistics().unsyncedBytes == 0)
            #expect(journal.statistics().syncCount == UInt64(count))
        }
        try journal.close()
    }

    @Test func closeSyncsWhatIsPending() throws {
        let fixture = try JournalFixture(fsyncIntervalMilliseconds: 60_000)
        let journal = try fixture.open()
        try journal.append(["pending"])
        #expect(journal.statistics().syncCount == 0)
        try journal.close()
        #expect(journal.statistics().syncCount == 1)
        #expect(journal.statistics().unsyncedBytes == 0)
    }

    @Test func aRollLeavesTheSegmentItLeavesToTheNextSync() throws {
        let fixture = try JournalFixture(segmentBytes: 30, fsyncIntervalMilliseconds: 60_000)
        let journal = try fixture.open()
        let start = ContinuousClock.now
        try journal.append(["first segment"])
        try journal.syncIfDue(now: start)
        #expect(journal.statistics().syncCount == 1)
        try journal.append(["second segment"])
        try journal.append(["second again"])
        #expect(try fixture.segmentFirstSequences() == [1, 2, 3])
        // The roll to 2 fsynced nothing; the roll to 3 sealed segment 1 (nothing left unsynced in it).
        #expect(journal.statistics().syncCount == 2)
        let second = Int64(expectedLine(sequence: 2, payload: "second segment").count)
        let third = Int64(expectedLine(sequence: 3, payload: "second again").count)
        #expect(journal.statistics().unsyncedBytes == second + third, "segment 2 waits for its seal")

        // Well inside the interval, but a segment waiting for its seal makes the sync due.
        try journal.syncIfDue(now: start + .milliseconds(1))
        #expect(journal.statistics().syncCount == 4, "the seal of segment 2, then the open segment")
        #expect(journal.statistics().unsyncedBytes == 0)
        try journal.syncIfDue(now: start + .milliseconds(2))
        #expect(journal.statistics().syncCount == 4, "nothing left to do")
        try journal.close()
    }

    @Test func syncAndCloseSealAPendingSegment() throws {
        let fixture = try JournalFixture(segmentBytes: 30, fsyncIntervalMilliseconds: 60_000)
        var journal = try fixture.open()
        try journal.append(["first segment"])
        try journal.append(["second segment"])
        #expect(journal.statistics().syncCount == 0, "a roll fsyncs nothing on the appending thread")
        try journal.sync()
        #expect(journal.statistics().syncCount == 2)
        #expect(journal.statistics().unsyncedBytes == 0)

        try journal.append(["third segment"])
        try journal.close()
        #expect(journal.statistics().syncCount == 4)
        #expect(journal.statistics().unsyncedBytes == 0)
        journal = try fixture.open()
        #expect(journal.lastSequence == 3)
        #expect(journal.statistics().tornBytesTruncated == 0)
        try journal.close()
    }

    @Test func withoutAnIntervalARollIsSealedBeforeAppendReturns() throws {
        let fixture = try JournalFixture(segmentBytes: 30, fsyncIntervalMilliseconds: 0)
        let journal = try fixture.open()
        try journal.append(["first segment"])
        try journal.append(["second segment"])
        #expect(try fixture.segmentFirstSequences() == [1, 2])
        #expect(journal.statistics().syncCount == 3, "first append, the seal, second append")
        #expect(journal.statistics().unsyncedBytes == 0)
        try journal.close()
    }
}
