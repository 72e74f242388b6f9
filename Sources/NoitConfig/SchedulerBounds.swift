/// The range every check's period must fall in (`<scheduler>`), inclusive at both ends.
public struct SchedulerBounds: Sendable, Equatable {
    /// Default 1000 ms.
    public var minimumPeriodMilliseconds: Int64
    /// Default 300000 ms.
    public var maximumPeriodMilliseconds: Int64

    public static let defaultMinimumPeriodMilliseconds: Int64 = 1000
    public static let defaultMaximumPeriodMilliseconds: Int64 = 300_000

    public init(
        minimumPeriodMilliseconds: Int64 = SchedulerBounds.defaultMinimumPeriodMilliseconds,
        maximumPeriodMilliseconds: Int64 = SchedulerBounds.defaultMaximumPeriodMilliseconds
    ) {
        self.minimumPeriodMilliseconds = minimumPeriodMilliseconds
        self.maximumPeriodMilliseconds = maximumPeriodMilliseconds
    }

    public func contains(periodMilliseconds period: Int64) -> Bool {
        period >= minimumPeriodMilliseconds && period <= maximumPeriodMilliseconds
    }
}
