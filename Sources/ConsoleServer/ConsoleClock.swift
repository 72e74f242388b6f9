/// The time a console session goes by: its idle timeout, the grace for a last message, and
/// whatever a command paces itself by.
///
/// The node uses `ContinuousClock`. Tests hand the server a clock they advance themselves, so
/// that "idle for the whole timeout" is decided by the test and not by how much CPU a loaded
/// machine gave the session (a busy console loop once passed for an idle one).
public protocol ConsoleClock: Sendable {
    var now: ContinuousClock.Instant { get }
    func sleep(until deadline: ContinuousClock.Instant, tolerance: Duration?) async throws
}

extension ContinuousClock: ConsoleClock {}

extension ConsoleClock {
    /// Sleeps for `duration` from now by this clock.
    public func sleep(for duration: Duration) async throws {
        try await sleep(until: now + duration, tolerance: nil)
    }
}
