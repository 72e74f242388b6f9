import NoitCore
import Testing

@testable import AlertDelivery

@Suite("Retry policy")
struct RetryPolicyTests {
    let policy = RetryPolicy()

    @Test func baseDelayGrowsExponentiallyUntilTheCap() {
        let bases = (1...12).map { policy.baseDelayMs(afterAttempt: $0) }
        #expect(bases == [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000, 300_000])
        #expect(policy.baseDelayMs(afterAttempt: 0) == 1_000, "attempt below 1 counts as the first")
        #expect(policy.baseDelayMs(afterAttempt: .max) == 300_000)
    }

    @Test func jitterStaysWithinHalfToFullBase() {
        for seed in UInt64(1)...200 {
            var generator = SplitMix64(seed: seed)
            for attempt in 1...15 {
                let base = policy.baseDelayMs(afterAttempt: attempt)
                let delay = policy.delayMs(afterAttempt: attempt, retryAfterMs: nil, using: &generator)
                #expect(delay >= base / 2 && delay <= base, "attempt \(attempt): \(delay) outside [\(base / 2), \(base)]")
                #expect(delay <= policy.maximumDelayMs)
            }
        }
    }

    @Test func jitterActuallyVaries() {
        var generator = SplitMix64(seed: 7)
        let delays = Set((0..<50).map { _ in policy.delayMs(afterAttempt: 5, retryAfterMs: nil, using: &generator) })
        #expect(delays.count > 10)
    }

    @Test func sameSeedSameSchedule() {
        var first = SplitMix64(seed: 42)
        var second = SplitMix64(seed: 42)
        let a = (1...10).map { policy.delayMs(afterAttempt: $0, retryAfterMs: nil, using: &first) }
        let b = (1...10).map { policy.delayMs(afterAttempt: $0, retryAfterMs: nil, using: &second) }
        #expect(a == b)
    }

    @Test func retryAfterIsALowerBound() {
        var generator = SplitMix64(seed: 1)
        #expect(policy.delayMs(afterAttempt: 1, retryAfterMs: 7_000, using: &generator) == 7_000)
        // A Retry-After shorter than the backoff does not shorten it.
        let delay = policy.delayMs(afterAttempt: 8, retryAfterMs: 1_000, using: &generator)
        #expect(delay >= 64_000 && delay <= 128_000)
        // Honoured above the backoff cap, up to its own cap.
        #expect(policy.delayMs(afterAttempt: 20, retryAfterMs: 1_200_000, using: &generator) == 1_200_000)
    }

    @Test func retryAfterIsCapped() {
        var generator = SplitMix64(seed: 3)
        #expect(policy.delayMs(afterAttempt: 1, retryAfterMs: 36_000_000, using: &generator) == 3_600_000)
        #expect(policy.delayMs(afterAttempt: 1, retryAfterMs: .max, using: &generator) == 3_600_000)
        let negative = policy.delayMs(afterAttempt: 1, retryAfterMs: -5, using: &generator)
        #expect(negative >= 500 && negative <= 1_000)
    }

    @Test func customSettings() {
        let custom = RetryPolicy(initialDelayMs: 250, maximumDelayMs: 10_000, multiplier: 3, maximumRetryAfterMs: 60_000)
        #expect((1...6).map { custom.baseDelayMs(afterAttempt: $0) } == [250, 750, 2_250, 6_750, 10_000, 10_000])
        let flat = RetryPolicy(initialDelayMs: 500, maximumDelayMs: 10_000, multiplier: 1)
        #expect(flat.baseDelayMs(afterAttempt: .max) == 500)
        let broken = RetryPolicy(initialDelayMs: -1, maximumDelayMs: -1, multiplier: .nan)
        var generator = SplitMix64(seed: 9)
        #expect(broken.delayMs(afterAttempt: 3, retryAfterMs: nil, using: &generator) == 0)
    }
}
