import Console
import NoitCore

/// Everything about a session that changes, kept under one lock so that the machine's
/// writes are queued in the order it produced them, whichever task fed it.
///
/// Besides the machine it holds the output queue (drained by the writer task), the tasks
/// waiting for a key, for output room or for input room, and the per-command pager.
struct ConsoleSessionCore: Sendable {
    /// Output queued beyond this makes writers wait (the socket's own buffer holds more).
    static var outboxLimit: Int { 64 * 1024 }

    var machine: ConsoleSessionMachine<ConsoleCommand>
    var mode: ConsoleMode = .exec
    var pageLengthOverride: Int?
    var pager = ConsolePager(pageLength: 0, width: 80)
    /// The user quit `--More--`: the rest of this command's output is dropped.
    var outputStopped = false
    var idle: ConsoleIdleTracker
    var logoutRequested = false
    var loggedIn = false
    private(set) var closing = false

    private var outbox: [UInt8] = []
    private var writerWaiter: CheckedContinuation<[UInt8]?, Never>?
    private var spaceWaiters: [CheckedContinuation<Bool, Never>] = []
    private var inputWaiter: CheckedContinuation<Void, Never>?
    private var closeWaiters: [CheckedContinuation<Void, Never>] = []
    private var keyWaiters: [(id: Int, continuation: CheckedContinuation<UInt8?, Never>)] = []
    private var lastWaiterID = 0
    private let jobs: AsyncStream<ConsoleJob>.Continuation
    let clock: any MonotonicClock

    init(requiresLogin: Bool, idleTimeout: Duration, clock: any MonotonicClock, jobs: AsyncStream<ConsoleJob>.Continuation) {
        self.machine = ConsoleSessionMachine(requiresLogin: requiresLogin)
        self.idle = ConsoleIdleTracker(timeout: idleTimeout, now: clock.now)
        self.clock = clock
        self.jobs = jobs
    }

    var pageLength: Int {
        pageLengthOverride ?? (machine.height > 0 ? machine.height - 1 : 0)
    }

    // MARK: Machine actions

    /// Performs what can be done under the lock and returns the rest.
    mutating func apply(_ actions: [ConsoleSessionAction<ConsoleCommand>]) -> [ConsoleFollowUp] {
        var followUps: [ConsoleFollowUp] = []
        for action in actions {
            switch action {
            case .write(let bytes):
                enqueue(bytes)
            case .key(let key):
                deliver(key)
            case .execute(let command, let arguments):
                jobs.yield(ConsoleJob(command: command, arguments: arguments))
            case .close:
                closeNow()
            case .refreshPrompt:
                followUps.append(.refreshPrompt(returnToExec: false))
            case .returnToExec:
                followUps.append(.refreshPrompt(returnToExec: true))
            case .verifyPassword(let password):
                followUps.append(.verifyPassword(password))
            case .loggedIn:
                loggedIn = true
                followUps.append(.loggedIn)
            }
        }
        // A prompt replays buffered input: the reader may read again.
        resumeInputWaiter()
        return followUps
    }

    mutating func commandStarted() {
        idle.commandStarted(at: clock.now)
        pager = ConsolePager(pageLength: pageLength, width: machine.width)
        outputStopped = false
    }

    mutating func commandEnded() {
        idle.commandEnded(at: clock.now)
        resumeInputWaiter()
    }

    /// Ends the session: wakes every waiter, stops the runner. The writer still sends what
    /// is queued (the goodbye message) before the connection closes.
    mutating func closeNow() {
        if !machine.isClosed { _ = machine.close(message: nil) }
        guard !closing else { return }
        closing = true
        jobs.finish()
        for waiter in keyWaiters { waiter.continuation.resume(returning: nil) }
        keyWaiters = []
        for waiter in spaceWaiters { waiter.resume(returning: false) }
        spaceWaiters = []
        for waiter in closeWaiters { waiter.resume() }
        closeWaiters = []
        resumeInputWaiter()
        if let writer = writerWaiter {
            writerWaiter = nil
            writer.resume(returning: outbox.isEmpty ? nil : takeOutbox())
        }
    }

    // MARK: Output queue

    mutating func enqueue(_ bytes: [UInt8]) {
        guard !closing, !bytes.isEmpty else { return }
        outbox += bytes
        if let writer = writerWaiter {
            writerWaiter = nil
            writer.resume(returning: takeOutbox())
        }
    }

    /// The writer takes everything queued; waiting producers may queue again.
    private mutating func takeOutbox() -> [UInt8] {
        let chunk = outbox
        outbox = []
        let now = clock.now
        for waiter in spaceWaiters {
            idle.writeUnblocked(at: now)
            waiter.resume(returning: !closing)
        }
        spaceWaiters = []
        return chunk
    }

    enum Immediate<Value> {
        case now(Value)
        case wait
    }

    /// The writer's next chunk: queued bytes, nil once closing and drained, or wait.
    mutating func nextChunk(orWait continuation: CheckedContinuation<[UInt8]?, Never>) -> Immediate<[UInt8]?> {
        if !outbox.isEmpty { return .now(takeOutbox()) }
        if closing { return .now(nil) }
        writerWaiter = continuation
        return .wait
    }

    /// Room in the output queue: true at once if there is, false if closing, else wait.
    mutating func outboxSpace(orWait continuation: CheckedContinuation<Bool, Never>) -> Immediate<Bool> {
        if closing { return .now(false) }
        if outbox.count <= Self.outboxLimit { return .now(true) }
        idle.writeBlocked(at: clock.now)
        spaceWaiters.append(continuation)
        return .wait
    }

    // MARK: Input room

    mutating func inputSpace(orWait continuation: CheckedContinuation<Void, Never>) -> Immediate<Void> {
        if closing || machine.pending.count <= ConsoleSessionMachine<ConsoleCommand>.maxPendingInput { return .now(()) }
        inputWaiter = continuation
        return .wait
    }

    private mutating func resumeInputWaiter() {
        guard let waiter = inputWaiter,
              closing || machine.pending.count <= ConsoleSessionMachine<ConsoleCommand>.maxPendingInput
        else { return }
        inputWaiter = nil
        waiter.resume()
    }

    // MARK: Close signal

    mutating func closed(orWait continuation: CheckedContinuation<Void, Never>) -> Immediate<Void> {
        if closing { return .now(()) }
        closeWaiters.append(continuation)
        return .wait
    }

    // MARK: Keys

    mutating func makeWaiterID() -> Int {
        lastWaiterID += 1
        return lastWaiterID
    }

    /// A task wants a key. The pager goes first: its `--More--` is what the user sees.
    mutating func key(
        id: Int, pager: Bool, orWait continuation: CheckedContinuation<UInt8?, Never>
    ) -> Immediate<UInt8?> {
        if closing { return .now(nil) }
        if keyWaiters.isEmpty {
            switch machine.wantKey() {
            case .key(let key):
                resumeInputWaiter()
                return .now(key)
            case .closed:
                return .now(nil)
            case .wait:
                break
            }
        }
        idle.keyWaitStarted(at: clock.now)
        if pager {
            keyWaiters.insert((id, continuation), at: 0)
        } else {
            keyWaiters.append((id, continuation))
        }
        return .wait
    }

    mutating func cancelKeyWait(id: Int) {
        guard let index = keyWaiters.firstIndex(where: { $0.id == id }) else { return }
        let waiter = keyWaiters.remove(at: index)
        idle.keyWaitEnded(at: clock.now)
        if keyWaiters.isEmpty { machine.cancelKeyWait() }
        waiter.continuation.resume(returning: nil)
    }

    private mutating func deliver(_ key: UInt8) {
        guard !keyWaiters.isEmpty else { return }
        let waiter = keyWaiters.removeFirst()
        idle.keyWaitEnded(at: clock.now)
        waiter.continuation.resume(returning: key)
        // Typed-ahead keys serve the next waiter at once.
        while !keyWaiters.isEmpty {
            switch machine.wantKey() {
            case .key(let next):
                let waiter = keyWaiters.removeFirst()
                idle.keyWaitEnded(at: clock.now)
                waiter.continuation.resume(returning: next)
            case .wait:
                return
            case .closed:
                for waiter in keyWaiters { waiter.continuation.resume(returning: nil) }
                keyWaiters = []
                return
            }
        }
        resumeInputWaiter()
    }
}
