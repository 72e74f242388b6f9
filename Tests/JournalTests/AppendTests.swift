import Foundation
import Journal
import NoitTestSupport
import Testing

@Suite struct AppendTests {
    @Test func sequencesStartAtOneAndAreConsecutive() throws {
        let fixture = try JournalFixture()
        let journal = try fixture.open()
        #expect(journal.lastSequence == 0)
        #expect(try journal.append(["a"]) == 1...1)
        #expect(try journal.append(["b", "c", "d"]) == 2...4)
        #expect(try journal.append([]) == nil)
        #expect(journal.lastSequence == 4)
        try journal.close()
    }

    @Test func sequencesContinueAcrossReopen() throws {
        let fixture = try JournalFixture(segmentBytes: 64)
        var journal = try fixture.open()
        try journal.append(["one", "two", "three"])
        try journal.close()

        journal = try fixture.open()
        #expect(journal.lastSequence == 3)
        #expect(try journal.append(["four", "five"]) == 4...5)
        try journal.close()

        journal = try fixture.open()
        #expect(journal.lastSequence == 5)
        try journal.addSubscriber("reader", startingAt: .beginning)
        let batch = try journal.readAll("reader")
        #expect(batch.records.map(\.sequence) == [1, 2, 3, 4, 5])
        #expect(batch.records.map(\.payload) == ["one", "two", "three", "four", "five"])
        try journal.close()
    }

    @Test func writesTheDocumentedLineFormat() throws {
        let fixture = try JournalFixture()
        let journal = try fixture.open()
        try journal.append(["hello", "tab\tinside", ""])
        try journal.close()

        #expect(try fixture.segmentFiles() == ["00000000000000000001.journal"])
        let expected = expectedLine(sequence: 1, payload: "hello") + expectedLine(sequence: 2, payload: "tab\tinside")
            + expectedLine(sequence: 3, payload: "")
        #expect(try fixture.contents(of: fixture.lastSegmentPath()) == expected)
    }

    @Test(arguments: ["line\nbreak", "carriage\rreturn", "\n", "trailing\r\n"])
    func payloadWithLineBreakIsRejectedAndNothingIsWritten(_ bad: String) throws {
        let fixture = try JournalFixture()
        let journal = try fixture.open()
        try journal.append(["before"])
        let sizeBefore = try fixture.bytesOnDisk()

        #expect(throws: JournalError.payloadContainsNewline(index: 1)) {
            try journal.append(["fine", bad, "also fine"])
        }
        #expect(journal.lastSequence == 1)
        #expect(try fixture.bytesOnDisk() == sizeBefore)
        #expect(try journal.append(["after"]) == 2...2)

        try journal.addSubscriber("reader", startingAt: .beginning)
        #expect(try journal.readAll("reader").records.map(\.payload) == ["before", "after"])
    }

    @Test func rollsToANewSegmentBeforeExceedingSegmentBytes() throws {
        let line = expectedLine(sequence: 1, payload: "0123456789").count
        let fixture = try JournalFixture(segmentBytes: 3 * line + 2)
        let journal = try fixture.open()
        for index in 1...7 {
            try journal.append(["0123456789"])
            #expect(journal.lastSequence == UInt64(index))
        }
        try journal.append(["0123456789", "0123456789"])
        try journal.close()

        // Three single-digit-sequence lines fit; the write that would pass the limit starts a new file.
        #expect(try fixture.segmentFirstSequences() == [1, 4, 7])
        for name in try fixture.segmentFiles() {
            #expect(try fixture.size(of: fixture.segmentPath(name)) <= Int64(3 * line + 2))
        }
        #expect(journal.statistics().segmentCount == 3)
    }

    @Test func aBatchLargerThanASegmentStillGoesInWhole() throws {
        let fixture = try JournalFixture(segmentBytes: 16)
        let journal = try fixture.open()
        try journal.append(["x"])
        let payloads = (0..<50).map { "payload \($0)" }
        #expect(try journal.append(payloads) == 2...51)
        try journal.close()
        #expect(try fixture.segmentFirstSequences() == [1, 2])
    }

    @Test func closedJournalRefusesWork() throws {
        let fixture = try JournalFixture()
        let journal = try fixture.open()
        try journal.addSubscriber("reader", startingAt: .beginning)
        try journal.close()
        try journal.close()
        #expect(throws: JournalError.closed) { try journal.append(["late"]) }
        #expect(throws: JournalError.closed) { try journal.readAll("reader") }
        #expect(throws: JournalError.closed) { try journal.addSubscriber("other", startingAt: .end) }
    }

    @Test func openFailureNamesThePathAndTheSystemError() throws {
        let directory = try TemporaryDirectory()
        let blocker = directory.path + "/not-a-directory"
        #expect(FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8)))
        let configuration = JournalConfiguration(directory: blocker + "/journal")
        let error = try #require(throws: JournalError.self) {
            try Journal(configuration: configuration, logger: LogRecorder().logger)
        }
        #expect(error.description.contains(blocker))
        #expect(error.description.contains("Not a directory"))
    }

    @Test(arguments: [
        JournalConfiguration(directory: ""),
        JournalConfiguration(directory: "/tmp/x", segmentBytes: 0),
        JournalConfiguration(directory: "/tmp/x", fsyncIntervalMilliseconds: -1),
        JournalConfiguration(directory: "/tmp/x", maxBytes: 0),
    ])
    func invalidConfigurationIsRejected(_ configuration: JournalConfiguration) throws {
        let error = try #require(throws: JournalError.self) {
            try Journal(configuration: configuration, logger: LogRecorder().logger)
        }
        guard case .invalidConfiguration = error else {
            Issue.record("expected invalidConfiguration, got \(error)")
            return
        }
    }
}
