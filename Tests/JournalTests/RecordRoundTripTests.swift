import Foundation
import Journal
import NoitCore
import Testing

/// Real check records with every kind of awkward content survive append, close, reopen and read.
@Suite struct RecordRoundTripTests {
    static let uuid = UUID(uuidString: "1b4e28ba-2fa1-11d2-883f-0016d3cca427")!
    static let timestamp = Timestamp(millisecondsSinceEpoch: 1_700_000_000_123)

    static var awkwardRecords: [Record] {
        let nasty = "tab\there, newline\nthere, cr\r, backslash \\ and \\n literal, nul \u{0} bell \u{7} del \u{7F}, "
            + "emoji 😀👩‍👩‍👧, Grüße, 日本語, [[null]] and a trailing backslash \\"
        var records: [Record] = [
            .check(timestamp: timestamp, uuid: uuid, target: "10.0.0.1", module: "http", name: "name\twith\ttabs ☃"),
            .status(
                timestamp: timestamp, uuid: uuid, state: .bad, availability: .unavailable, durationMilliseconds: 1234,
                status: nasty),
            .status(timestamp: timestamp, uuid: uuid, state: .good, availability: .available, durationMilliseconds: 0, status: ""),
            .status(
                timestamp: Timestamp(millisecondsSinceEpoch: -1), uuid: uuid, state: .good, availability: .available,
                durationMilliseconds: Int64.max, status: "[[null]]"),
            .metric(timestamp: timestamp, uuid: uuid, metric: Metric("string\tmetric", .string(nasty))),
            .metric(timestamp: timestamp, uuid: uuid, metric: Metric("empty", .string(""))),
            .metric(timestamp: timestamp, uuid: uuid, metric: Metric("nothing", .null(.double))),
            .metric(timestamp: timestamp, uuid: uuid, metric: Metric("no string", .null(.string))),
            .metric(timestamp: timestamp, uuid: uuid, metric: Metric("i32", .int32(.min))),
            .metric(timestamp: timestamp, uuid: uuid, metric: Metric("u64", .uint64(.max))),
            .delete(timestamp: timestamp, uuid: uuid, name: "gone\\away\n"),
        ]
        for value in [0.1, -0.0, 1e-300, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 1.0 / 3.0] {
            records.append(.metric(timestamp: timestamp, uuid: uuid, metric: Metric("double \(value)", .double(value))))
        }
        return records
    }

    @Test func awkwardRecordsRoundTripThroughAReopenedJournal() throws {
        let fixture = try JournalFixture(segmentBytes: 512)
        let originals = Self.awkwardRecords
        var journal = try fixture.open()
        try journal.addSubscriber("aggregator", startingAt: .beginning)
        // Some one at a time, the rest as one batch, so both write paths are covered.
        for record in originals.prefix(3) { try journal.append([record.line]) }
        try journal.append(originals.dropFirst(3).map(\.line))
        try journal.close()

        journal = try fixture.open()
        let batch = try journal.readAll("aggregator")
        #expect(batch.lostBeforeBatch == 0)
        #expect(batch.records.map(\.sequence) == Array(1...UInt64(originals.count)))
        #expect(batch.records.map(\.payload) == originals.map(\.line))
        let decoded = try batch.records.map { try Record(line: $0.payload) }
        #expect(decoded == originals)
        // Equality treats 0.0 and -0.0 alike; the bits must survive too.
        for (original, copy) in zip(originals, decoded) {
            if case .metric(_, _, let a) = original, case .double(let x) = a.value,
                case .metric(_, _, let b) = copy, case .double(let y) = b.value
            {
                #expect(x.bitPattern == y.bitPattern, "\(a.name)")
            }
        }
        #expect(try fixture.segmentFiles().count > 1, "the records should span several segments")
        try journal.close()
    }

    @Test func recordLinesNeverContainLineBreaks() {
        for record in Self.awkwardRecords {
            #expect(!record.line.utf8.contains(0x0A) && !record.line.utf8.contains(0x0D))
        }
    }
}
