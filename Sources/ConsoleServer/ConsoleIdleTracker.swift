/// Pure idle-timeout bookkeeping for one session; time comes in as `now`.
///
/// A session is idle when nothing happened for `timeout`. Input is activity. A running
/// command keeps the session busy (never idle) while it works, but not while it waits for
/// the user (a key for `nextKey`, `confirm` or `--More--`) or for a client that does not
/// read (its write is blocked): a user who walks away from a pager, or a client that
/// stopped reading, still times out. Output a command manages to write is activity, so a
/// `watch` that streams keeps the session alive only as long as it streams.
struct ConsoleIdleTracker: Sendable {
    enum Check: Equatable {
        /// Idle for the whole timeout: close the session.
        case expired
        /// Look again at this instant.
        case checkAgain(at: ContinuousClock.Instant)
    }

    let timeout: Duration
    private(set) var lastActivity: ContinuousClock.Instant
    private var commandRunning = false
    private var keyWaits = 0
    private var blockedWrites = 0

    init(timeout: Duration, now: ContinuousClock.Instant) {
        self.timeout = timeout
        self.lastActivity = now
    }

    var isBusy: Bool { commandRunning && keyWaits == 0 && blockedWrites == 0 }

    mutating func input(at now: ContinuousClock.Instant) { lastActivity = now }

    /// A write of a running command reached the socket.
    mutating func wrote(at now: ContinuousClock.Instant) {
        if commandRunning { lastActivity = now }
    }

    mutating func commandStarted(at now: ContinuousClock.Instant) { change(at: now) { $0.commandRunning = true } }
    mutating func commandEnded(at now: ContinuousClock.Instant) { change(at: now) { $0.commandRunning = false } }
    mutating func keyWaitStarted(at now: ContinuousClock.Instant) { change(at: now) { $0.keyWaits += 1 } }
    mutating func keyWaitEnded(at now: ContinuousClock.Instant) { change(at: now) { $0.keyWaits -= 1 } }
    mutating func writeBlocked(at now: ContinuousClock.Instant) { change(at: now) { $0.blockedWrites += 1 } }
    mutating func writeUnblocked(at now: ContinuousClock.Instant) { change(at: now) { $0.blockedWrites -= 1 } }

    /// Busy time counts as activity: the idle clock restarts whenever busy starts or ends.
    private mutating func change(at now: ContinuousClock.Instant, _ body: (inout Self) -> Void) {
        if isBusy { lastActivity = now }
        body(&self)
        if isBusy { lastActivity = now }
    }

    func check(at now: ContinuousClock.Instant) -> Check {
        if isBusy { return .checkAgain(at: now + timeout) }
        let deadline = lastActivity + timeout
        return now >= deadline ? .expired : .checkAgain(at: deadline)
    }
}
