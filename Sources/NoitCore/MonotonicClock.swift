/// The time that deadlines, timeouts and pacing go by, where a test must decide when time
/// passes: a console session's idle timeout, a ping run's request pacing and reply deadline.
///
/// The daemons use `ContinuousClock`. Tests hand in a clock they advance themselves, so a
/// verdict does not depend on how much CPU a loaded machine gave the code under test (a busy
/// loop once passed for an idle session; a late wake-up once sent one ping too few).
public protocol MonotonicClock: Sendable {
    var now: ContinuousClock.Instant { get }
    func sleep(until deadline: ContinuousClock.Instant, tolerance: Duration?) async throws
}

extension ContinuousClock: MonotonicClock {}

extension MonotonicClock {
    /// Sleeps for `duration` from now by this clock.
    public func sleep(for duration: Duration) async throws {
        try await sleep(until: now + duration, tolerance: nil)
    }
}
