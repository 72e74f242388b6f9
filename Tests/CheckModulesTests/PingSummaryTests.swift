import NoitCore
import Testing

@testable import CheckModules

@Suite("ping_icmp: availability and state from replies, without I/O")
struct PingSummaryTests {
    func metric(_ summary: PingSummary, _ name: String) -> MetricValue? {
        summary.metrics.first { $0.name == name }?.value
    }

    @Test("every reply back: available, good, with round trips in seconds")
    func allReplies() {
        let summary = PingSummary(sent: 3, roundTrips: [0.5, 0.25, 0.75], availableNeeded: 100)
        #expect(summary.availability == .available)
        #expect(summary.state == .good)
        #expect(metric(summary, "count") == .int32(3))
        #expect(metric(summary, "available") == .double(100))
        #expect(metric(summary, "minimum") == .double(0.25))
        #expect(metric(summary, "maximum") == .double(0.75))
        #expect(metric(summary, "average") == .double(0.5))
        #expect(summary.status == "3/3 replies (100%), rtt min/avg/max 250.000/500.000/750.000 ms")
    }

    @Test("one lost of five fails avail_needed=100 but passes 80")
    func partialLoss() {
        let strict = PingSummary(sent: 5, roundTrips: [0.01, 0.01, 0.01, 0.01], availableNeeded: 100)
        #expect(strict.availability == .available)
        #expect(strict.state == .bad)
        #expect(metric(strict, "available") == .double(80))
        #expect(strict.status.hasSuffix(", needed 100%"))
        let lenient = PingSummary(sent: 5, roundTrips: [0.01, 0.01, 0.01, 0.01], availableNeeded: 80)
        #expect(lenient.state == .good)
        let stricter = PingSummary(sent: 5, roundTrips: [0.01, 0.01, 0.01, 0.01], availableNeeded: 81)
        #expect(stricter.state == .bad)
    }

    @Test("a fractional share is compared exactly: 2 of 3 is below 67 and above 66")
    func fractional() {
        let summary = PingSummary(sent: 3, roundTrips: [0.01, 0.01], availableNeeded: 67)
        #expect(summary.state == .bad)
        #expect(summary.status.hasPrefix("2/3 replies (66.7%)"))
        #expect(PingSummary(sent: 3, roundTrips: [0.01, 0.01], availableNeeded: 66).state == .good)
    }

    @Test("no reply: unavailable and bad, with null round trips")
    func nothingBack() {
        let summary = PingSummary(sent: 5, roundTrips: [], availableNeeded: 100, sendError: "send failed: Network is unreachable")
        #expect(summary.availability == .unavailable)
        #expect(summary.state == .bad)
        #expect(metric(summary, "available") == .double(0))
        #expect(metric(summary, "minimum") == .null(.double))
        #expect(metric(summary, "maximum") == .null(.double))
        #expect(metric(summary, "average") == .null(.double))
        #expect(summary.status == "0/5 replies (0%), needed 100%, send failed: Network is unreachable")
    }

    @Test("avail_needed=0 accepts total loss as good, though still unavailable")
    func nothingNeeded() {
        let summary = PingSummary(sent: 5, roundTrips: [], availableNeeded: 0)
        #expect(summary.state == .good)
        #expect(summary.availability == .unavailable)
    }

    @Test("nothing sent is bad whatever is needed")
    func nothingSent() {
        let summary = PingSummary(sent: 0, roundTrips: [], availableNeeded: 0)
        #expect(summary.state == .bad)
        #expect(metric(summary, "count") == .int32(0))
        #expect(metric(summary, "available") == .double(0))
    }

    @Test("the result carries everything")
    func result() {
        let result = PingSummary(sent: 2, roundTrips: [0.5], availableNeeded: 50).result(durationMilliseconds: 1_234)
        #expect(result.availability == .available)
        #expect(result.state == .good)
        #expect(result.durationMilliseconds == 1_234)
        #expect(result.metrics.map(\.name) == ["count", "available", "minimum", "maximum", "average"])
    }
}
