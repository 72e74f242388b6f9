import Foundation
import Testing

@testable import NoitCore

@Suite("Record text format")
struct RecordTextTests {
    let id = UUID(uuidString: "1b4e28ba-2fa1-11d2-883f-0016d3cca427")!
    let ts = Timestamp(millisecondsSinceEpoch: 1_253_124_339_270)

    @Test("each kind renders in the REFERENCE §5 layout")
    func layout() {
        #expect(Record.check(timestamp: ts, uuid: id, target: "10.0.0.1", module: "http", name: "home").line
            == "C\t1253124339.270\t1b4e28ba-2fa1-11d2-883f-0016d3cca427\t10.0.0.1\thttp\thome")
        #expect(Record.status(timestamp: ts, uuid: id, state: .good, availability: .available, durationMilliseconds: 12, status: "ok").line
            == "S\t1253124339.270\t1b4e28ba-2fa1-11d2-883f-0016d3cca427\tG\tA\t12\tok")
        #expect(Record.metric(timestamp: ts, uuid: id, metric: Metric("rtt", .double(0.1))).line
            == "M\t1253124339.270\t1b4e28ba-2fa1-11d2-883f-0016d3cca427\trtt\tn\t0.1")
        #expect(Record.metric(timestamp: ts, uuid: id, metric: Metric("rtt", .null(.double))).line
            == "M\t1253124339.270\t1b4e28ba-2fa1-11d2-883f-0016d3cca427\trtt\tn\t[[null]]")
        #expect(Record.delete(timestamp: ts, uuid: id, name: "home").line
            == "D\t1253124339.270\t1b4e28ba-2fa1-11d2-883f-0016d3cca427\thome")
    }

    static let awkward: [String] = [
        "", "tab\there", "new\nline", "cr\rlf\r\n", "back\\slash", "\\t literal", "nul\u{0}byte", "bell\u{7}del\u{7F}",
        "emoji 🚀 and ünïcödé", "[[null]]", "x\\x41", String(repeating: "long ", count: 2_000),
    ]

    @Test("awkward field content round-trips and never splits a record", arguments: awkward)
    func awkwardRoundTrip(text: String) throws {
        let records: [Record] = [
            .check(timestamp: ts, uuid: id, target: text, module: "tcp", name: text),
            .status(timestamp: ts, uuid: id, state: .bad, availability: .unavailable, durationMilliseconds: 0, status: text),
            .metric(timestamp: ts, uuid: id, metric: Metric(text.isEmpty ? "m" : text, .string(text))),
            .delete(timestamp: ts, uuid: id, name: text),
        ]
        for record in records {
            let line = record.line
            #expect(!line.contains("\n") && !line.contains("\r"))
            #expect(try Record(line: line) == record)
        }
    }

    @Test("every metric type round-trips, including extremes and nulls")
    func metricTypes() throws {
        let values: [MetricValue] = [
            .int32(.min), .int32(.max), .uint32(.max), .int64(.min), .int64(.max), .uint64(.max),
            .double(0.1), .double(-0.0), .double(1e-300), .double(.infinity), .double(-.infinity), .double(123_456_789.123_456_78),
            .string("text"), .null(.int32), .null(.uint64), .null(.string),
        ]
        for value in values {
            let record = Record.metric(timestamp: ts, uuid: id, metric: Metric("v", value))
            let parsed = try Record(line: record.line)
            #expect(parsed == record, "\(value)")
        }
        if case .metric(_, _, let metric) = try Record(line: Record.metric(timestamp: ts, uuid: id, metric: Metric("v", .double(-0.0))).line) {
            #expect(metric.value.doubleValue?.sign == .minus)
        }
    }

    @Test("malformed lines are refused with a precise error", arguments: [
        ("", RecordParseError.unknownKind("")),
        ("X\t1.0", .unknownKind("X")),
        ("S\t1.000\t1b4e28ba-2fa1-11d2-883f-0016d3cca427\tG\tA\t1", .fieldCount(kind: "S", expected: 7, found: 6)),
        ("D\tnot-a-time\t1b4e28ba-2fa1-11d2-883f-0016d3cca427\tx", .badTimestamp("not-a-time")),
        ("D\t1.000\tnot-a-uuid\tx", .badUUID("not-a-uuid")),
        ("S\t1.000\t1b4e28ba-2fa1-11d2-883f-0016d3cca427\tQ\tA\t1\tx", .badValue(field: 3, "Q")),
        ("M\t1.000\t1b4e28ba-2fa1-11d2-883f-0016d3cca427\tm\ti\t99999999999", .badValue(field: 5, "99999999999")),
        ("M\t1.000\t1b4e28ba-2fa1-11d2-883f-0016d3cca427\tm\tz\t1", .badValue(field: 4, "z")),
        ("D\t1.000\t1b4e28ba-2fa1-11d2-883f-0016d3cca427\tbad\\q", .badEscape(field: 3)),
    ])
    func malformed(line: String, expected: RecordParseError) {
        #expect(throws: expected) { try Record(line: line) }
    }

    @Test("timestamps print three millisecond digits and parse shorter fractions")
    func timestamps() {
        #expect(Timestamp(millisecondsSinceEpoch: 5).recordText == "0.005")
        #expect(Timestamp(millisecondsSinceEpoch: 1_000).recordText == "1.000")
        #expect(Timestamp(recordText: "12.5")?.millisecondsSinceEpoch == 12_500)
        #expect(Timestamp(recordText: "12")?.millisecondsSinceEpoch == 12_000)
        #expect(Timestamp(recordText: "12.1234") == nil)
        #expect(Timestamp(recordText: "") == nil)
    }

    @Test("a run's records are its status followed by each metric")
    func recordsOfResult() {
        let result = CheckResult(availability: .available, state: .good, durationMilliseconds: 3, status: "ok", metrics: [Metric("a", .int32(1)), Metric("b", .string("x"))])
        let records = Record.records(of: result, uuid: id, at: ts)
        #expect(records.count == 3)
        #expect(records[0] == .status(timestamp: ts, uuid: id, state: .good, availability: .available, durationMilliseconds: 3, status: "ok"))
        #expect(records[2] == .metric(timestamp: ts, uuid: id, metric: Metric("b", .string("x"))))
    }

    @Test("a run's lines are its records' lines, status first")
    func linesOfResult() {
        let result = CheckResult(
            availability: .unavailable, state: .bad, durationMilliseconds: 12, status: "tab\there",
            metrics: [Metric("a", .double(0.25)), Metric("b\tc", .string("[[null]]")), Metric("n", .null(.int64))])
        #expect(Record.lines(of: result, uuid: id, at: ts) == Record.records(of: result, uuid: id, at: ts).map(\.line))
        #expect(Record.lines(of: result, uuid: id, at: ts).first == "S\t1253124339.270\t1b4e28ba-2fa1-11d2-883f-0016d3cca427\tB\tU\t12\ttab\\there")
    }

    @Test("uuids print lowercase, as Foundation's text lowercased", arguments: 0..<200)
    func lowercaseUUIDs(_ round: Int) {
        let uuid = round == 0 ? UUID(uuid: (255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255)) : UUID()
        #expect(uuid.lowercasedString == uuid.uuidString.lowercased())
    }

    @Test("timestamps before the epoch keep three fraction digits")
    func negativeTimestamps() {
        #expect(Timestamp(millisecondsSinceEpoch: -1).recordText == "-1.999")
        #expect(Timestamp(millisecondsSinceEpoch: -1_000).recordText == "-1.000")
        #expect(Timestamp(millisecondsSinceEpoch: 999).recordText == "0.999")
    }
}
