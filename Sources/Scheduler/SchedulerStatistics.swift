import Histogram

/// What the scheduler has done, for `selfcheck`, `/metrics` and the console.
public struct SchedulerStatistics: Sendable {
    public var checkCount: Int = 0
    public var counters = ScheduleMachine.Counters()
    /// Start lateness (actual − planned) in microseconds.
    public var lateness = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)

    public init() {}

    public var latenessP50Microseconds: UInt64 { lateness.totalCount == 0 ? 0 : lateness.valueAtPercentile(50) }
    public var latenessP99Microseconds: UInt64 { lateness.totalCount == 0 ? 0 : lateness.valueAtPercentile(99) }
    public var latenessMaxMicroseconds: UInt64 { lateness.totalCount == 0 ? 0 : lateness.max }
}
