/// Delays between connection attempts: 1 s, 2 s, 4 s … up to 15 s, back to the start after
/// a connection that worked. Pure, so the schedule is tested without waiting.
public struct ReconnectBackoff: Sendable, Equatable {
    public let minimum: Duration
    public let maximum: Duration
    private var next: Duration

    public init(minimum: Duration = .seconds(1), maximum: Duration = .seconds(15)) {
        self.minimum = minimum
        self.maximum = maximum
        self.next = minimum
    }

    /// The delay before the next attempt; each call doubles the following one.
    public mutating func failed() -> Duration {
        let delay = next
        next = min(maximum, next * 2)
        return delay
    }

    /// A connection worked: start again from the minimum.
    public mutating func succeeded() {
        next = minimum
    }
}
