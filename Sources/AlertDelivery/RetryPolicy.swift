/// When to try again after a failed delivery. Pure: randomness comes from the caller's generator.
///
/// The delay is exponential with **equal jitter**: for the capped exponential value `base`, the
/// delay is uniform in `[base / 2, base]`. Equal rather than full jitter because full jitter may
/// draw a delay near zero, and after a receiver outage every queued alert would then hammer it at
/// once; equal jitter still spreads retries out but keeps the backoff growing.
public struct RetryPolicy: Sendable, Equatable {
    public var initialDelayMs: Int64 = 1_000
    /// Upper bound of the exponential part (a `Retry-After` may ask for more, see ``maximumRetryAfterMs``).
    public var maximumDelayMs: Int64 = 300_000
    public var multiplier: Double = 2
    /// A `Retry-After` longer than this is capped, so a misbehaving receiver cannot park alerts for days.
    public var maximumRetryAfterMs: Int64 = 3_600_000

    public init(
        initialDelayMs: Int64 = 1_000,
        maximumDelayMs: Int64 = 300_000,
        multiplier: Double = 2,
        maximumRetryAfterMs: Int64 = 3_600_000
    ) {
        self.initialDelayMs = initialDelayMs
        self.maximumDelayMs = maximumDelayMs
        self.multiplier = multiplier
        self.maximumRetryAfterMs = maximumRetryAfterMs
    }

    /// The capped exponential delay for `attempt` failures, before jitter.
    ///
    /// `attempt` values below 1 are treated as 1; absurd settings (negative delays, a multiplier
    /// below 1 or not finite) are clamped rather than trapping, since this runs inside the worker loop.
    public func baseDelayMs(afterAttempt attempt: Int) -> Int64 {
        let cap = max(0, maximumDelayMs)
        let initial = min(max(0, initialDelayMs), cap)
        let factor = multiplier.isFinite ? max(1, multiplier) : 1
        // Multiplying step by step (instead of pow) stops as soon as the cap is reached, so a huge
        // attempt count costs a few iterations; the early return keeps factor 1 from looping forever.
        if factor == 1 || initial == 0 { return initial }
        var grown = Double(initial)
        for _ in 1..<max(1, attempt) {
            grown *= factor
            if grown >= Double(cap) { return cap }
        }
        return Int64(grown)
    }

    /// Delay before attempt number `attempt + 1` after `attempt` failures (attempt ≥ 1).
    ///
    /// The result lies in `[base / 2, base]` (see ``baseDelayMs(afterAttempt:)``), except that a
    /// `retryAfterMs` from the receiver is honoured as a lower bound, itself capped by
    /// ``maximumRetryAfterMs``.
    public func delayMs<G: RandomNumberGenerator>(
        afterAttempt attempt: Int,
        retryAfterMs: Int64?,
        using generator: inout G
    ) -> Int64 {
        let base = baseDelayMs(afterAttempt: attempt)
        let half = base / 2
        let jittered = half + Int64.random(in: 0...(base - half), using: &generator)
        guard let retryAfterMs else { return jittered }
        let floor = min(max(0, retryAfterMs), max(0, maximumRetryAfterMs))
        return max(jittered, floor)
    }
}
