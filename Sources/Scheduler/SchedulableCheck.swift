import Foundation

/// What the schedule machine needs to know about a check: identity and timing only.
public struct SchedulableCheck: Hashable, Sendable {
    public var id: UUID
    public var periodMilliseconds: Int64
    public var timeoutMilliseconds: Int64
    public var disabled: Bool

    public init(id: UUID, periodMilliseconds: Int64, timeoutMilliseconds: Int64, disabled: Bool = false) {
        precondition(periodMilliseconds > 0, "period must be positive")
        precondition(timeoutMilliseconds > 0, "timeout must be positive")
        self.id = id
        self.periodMilliseconds = periodMilliseconds
        self.timeoutMilliseconds = timeoutMilliseconds
        self.disabled = disabled
    }
}
