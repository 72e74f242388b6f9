import Synchronization

/// Lets the rollup pass stand aside while a feed drains a backlog.
///
/// Each rollup pass recomputes from the archive, and on this kind of machine it competes for
/// the same cores as the ingest it follows, which is then what slows the draining of a
/// noit's journal (and raw rows are what must land first: only they free the journal).
/// So while feeds are storing large batches (a backlog, not the live trickle), passes wait,
/// at most `maximumDeferral` at a time, then one runs; once no large batch has come for
/// `quiet`, passes run back to back until they have caught up. Batches stored directly also
/// leave the current state to the pass, so that too waits at most `maximumDeferral`.
public final class BacklogSignal: Sendable {
    public let quiet: Duration
    public let maximumDeferral: Duration
    private let state = Mutex(State())

    private struct State {
        var lastLargeBatch: ContinuousClock.Instant?
        var deferringSince: ContinuousClock.Instant?
    }

    public init(quiet: Duration = .seconds(1), maximumDeferral: Duration = .seconds(20)) {
        self.quiet = quiet
        self.maximumDeferral = maximumDeferral
    }

    /// A feed stored a batch large enough to mean it is behind.
    public func largeBatchStored(at now: ContinuousClock.Instant) {
        state.withLock { $0.lastLargeBatch = now }
    }

    /// Whether a rollup pass should wait rather than run now.
    public func shouldDeferRollups(at now: ContinuousClock.Instant) -> Bool {
        state.withLock { state in
            guard let last = state.lastLargeBatch, now - last < quiet else {
                state.deferringSince = nil
                return false
            }
            guard let since = state.deferringSince else {
                state.deferringSince = now
                return true
            }
            if now - since >= maximumDeferral {
                // One pass now; the next wait starts after it.
                state.deferringSince = nil
                return false
            }
            return true
        }
    }
}
