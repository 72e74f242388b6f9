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

    @Test func rollingSyncsTheSegmentItLeaves() throws {
        let fixture = try JournalFixture(segmentBytes: 30, fsyncIntervalMilliseconds: 60_000)
        let journal = try fixture.open()
        try journal.append(["first segment"])
        try journal.append(["second segment"])
        #expect(try fixture.segmentFirstSequences() == [1, 2])
        #expect(journal.statistics().syncCount == 1)
        #expect(journal.statistics().unsyncedBytes == Int64(expectedLine(sequence: 2, payload: "second segment").count))
        try journal.close()
    }
}
