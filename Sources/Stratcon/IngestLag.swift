import Histogram

/// How long results took from their check's completion (start + duration, by the noit's
/// clock) to being committed here: per reporting interval and since start. Both clocks are
/// wall clocks, so across machines the figure includes their offset; on one machine it is
/// exactly the "completion to visible" delay operators ask about.
public struct IngestLag: Sendable {
    public struct Summary: Sendable, Equatable {
        public var count: UInt64
        public var p50Milliseconds: UInt64
        public var p99Milliseconds: UInt64
        public var maxMilliseconds: UInt64
    }

    // An hour bounds the histogram; a result older than that (a noit catching up after an
    // outage) is recorded as an hour, which still reads as "very late".
    private static let highest: UInt64 = 3_600_000
    private var interval = IngestLag.histogram()
    private var total = IngestLag.histogram()

    public init() {}

    private static func histogram() -> Histogram<UInt64> {
        Histogram<UInt64>(highestTrackableValue: highest, numberOfSignificantValueDigits: .three)
    }

    /// Records the lag of each completion (milliseconds since the epoch) at `committedAt`.
    public mutating func record(completions: [Int64], committedAt: Int64) {
        for completion in completions {
            let (difference, overflow) = committedAt.subtractingReportingOverflow(completion)
            let lag = overflow ? Self.highest : UInt64(clamping: max(0, difference))
            let bounded = min(lag, Self.highest)
            interval.record(bounded)
            total.record(bounded)
        }
    }

    /// The interval's summary, starting a new interval.
    public mutating func takeInterval() -> Summary {
        defer { interval = Self.histogram() }
        return Self.summary(interval)
    }

    public var sinceStart: Summary { Self.summary(total) }

    private static func summary(_ histogram: Histogram<UInt64>) -> Summary {
        guard histogram.totalCount > 0 else { return Summary(count: 0, p50Milliseconds: 0, p99Milliseconds: 0, maxMilliseconds: 0) }
        return Summary(
            count: histogram.totalCount, p50Milliseconds: histogram.valueAtPercentile(50),
            p99Milliseconds: histogram.valueAtPercentile(99), maxMilliseconds: histogram.max)
    }
}
