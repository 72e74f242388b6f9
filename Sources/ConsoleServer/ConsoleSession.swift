import Console
import Logging
import Synchronization
import NoitCore

/// Session ids, unique within the process.
private let consoleSessionIDs = Atomic<Int>(0)

/// One connected console user, as commands see it: where it is (`mode`), its terminal, and
/// the ways to talk to it (`write`, `nextKey`, `confirm`, `logout`).
///
/// All members may be used from any task. The logic lives in `ConsoleSessionMachine`
/// (pure) and `ConsoleSessionCore` (its state under one lock); the connection's tasks are
/// in `ConsoleSession+Connection.swift`.
public final class ConsoleSession: Sendable {
    /// Unique per server process.
    public let id: Int
    /// The client's address, e.g. "127.0.0.1:54321".
    public let peer: String
    /// The listener's address, e.g. "127.0.0.1:32322".
    public let local: String

    let core: Mutex<ConsoleSessionCore>
    let jobs: AsyncStream<ConsoleJob>
    let source: any ConsoleCommandSource
    let configuration: ConsoleListenerConfiguration
    let logger: Logger
    /// The time this session goes by (see `MonotonicClock`): commands that pace output by
    /// time use it too.
    public let clock: any MonotonicClock

    init(
        peer: String, local: String, configuration: ConsoleListenerConfiguration,
        source: any ConsoleCommandSource, clock: any MonotonicClock, logger: Logger
    ) {
        self.id = consoleSessionIDs.wrappingAdd(1, ordering: .relaxed).newValue
        self.peer = peer
        self.local = local
        self.configuration = configuration
        self.source = source
        self.clock = clock
        let (jobs, continuation) = AsyncStream.makeStream(of: ConsoleJob.self)
        self.jobs = jobs
        self.core = Mutex(ConsoleSessionCore(
            requiresLogin: configuration.passwordHash != nil,
            idleTimeout: configuration.idleTimeout,
            clock: clock,
            jobs: continuation))
        var logger = logger
        logger[metadataKey: "console.session"] = "\(id)"
        logger[metadataKey: "console.peer"] = "\(peer)"
        self.logger = logger
    }

    /// Where the session is. Commands set it; the prompt and command tree follow it from the
    /// next prompt on. Ctrl-Z resets it to `.exec`.
    public var mode: ConsoleMode {
        get { core.withLock { $0.mode } }
        set { core.withLock { $0.mode = newValue } }
    }

    /// Terminal columns from NAWS; 80 until (or unless) the client reports them.
    public var width: Int { core.withLock { $0.machine.width } }

    /// Terminal rows from NAWS; 0 when unknown.
    public var height: Int { core.withLock { $0.machine.height } }

    /// Rows per page before `--More--`; 0 turns paging off. Defaults to the NAWS height - 1
    /// (0 when unknown, so scripts are never paged) until set (`terminal length N`). Setting it
    /// applies to the running command's remaining output too.
    public var pageLength: Int {
        get { core.withLock { $0.pageLength } }
        set {
            core.withLock { core in
                core.pageLengthOverride = max(0, newValue)
                core.pager = ConsolePager(pageLength: core.pageLength, width: core.machine.width)
            }
        }
    }

    /// The session ended (or is ending): stop producing output for it.
    public var isClosed: Bool { core.withLock { $0.closing } }

    /// Writes text ("\n" becomes "\r\n"), paging with `--More--` when `pageLength` > 0:
    /// space shows the next page, Enter one more line, any other key (`q`) stops.
    ///
    /// Returns false when the user quit the pager or the connection is gone; the command
    /// should stop producing output (further writes of this command return false at once).
    /// Suspends while the client does not read (the output queue is bounded), so a client
    /// that never reads cannot grow memory; its session then ends at the idle timeout.
    @discardableResult
    public func write(_ text: String) async -> Bool {
        let converted = ConsoleText.crlf(text)
        var rest = converted[...]
        while !rest.isEmpty {
            // Bounded slices: one huge string must not land in the queue at once.
            let piece = rest.prefix(4096)
            let paused: Bool? = core.withLock { core in
                guard !core.closing, !core.outputStopped else { return nil }
                let (now, after) = core.pager.take(piece)
                core.enqueue(Array(now.utf8))
                if after != nil {
                    rest = rest[now.endIndex...]
                    core.enqueue(Array(ConsoleText.more.utf8))
                    return true
                }
                rest = rest[piece.endIndex...]
                return false
            }
            guard let paused, await outboxSpace() else { return false }
            if paused {
                let key = await key(pager: true)
                let go = core.withLock { core in
                    core.enqueue(Array(ConsoleText.eraseMore.utf8))
                    let go = key.map { core.pager.more($0) } ?? false
                    if !go { core.outputStopped = true }
                    return go
                }
                guard go else { return false }
            }
        }
        return true
    }

    /// Suspends until the user presses a key (returns its byte) or the session closes (nil).
    /// Keys typed before the call count. An arrow key arrives as one ESC; in line mode the
    /// key is the first byte of the next line. Returns nil when the task is cancelled.
    public func nextKey() async -> UInt8? {
        await key(pager: false)
    }

    /// Writes "<question> [confirm]" and reads one key: y, Y or Enter → true, anything else
    /// (or a closed session) → false.
    public func confirm(_ question: String) async -> Bool {
        guard await write(question + " [confirm]") else { return false }
        let key = await key(pager: false)
        await write("\n")
        guard let key else { return false }
        return key == UInt8(ascii: "y") || key == UInt8(ascii: "Y") || key == 0x0D || key == 0x0A
    }

    /// Ends the session once the running command returns.
    public func logout() {
        core.withLock { $0.logoutRequested = true }
    }

    /// The node is shutting down: tell the user and close.
    func shutDown() {
        core.withLock { core in
            _ = core.apply(core.machine.close(message: "% Node shutting down"))
        }
    }

    // MARK: Waiting

    private func key(pager: Bool) async -> UInt8? {
        let id = core.withLock { $0.makeWaiterID() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<UInt8?, Never>) in
                let immediate = core.withLock { core -> ConsoleSessionCore.Immediate<UInt8?> in
                    if Task.isCancelled { return .now(nil) }
                    return core.key(id: id, pager: pager, orWait: continuation)
                }
                if case .now(let key) = immediate { continuation.resume(returning: key) }
            }
        } onCancel: {
            core.withLock { $0.cancelKeyWait(id: id) }
        }
    }

    /// Waits while the output queue is over its limit; false once the session is closing.
    func outboxSpace() async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let immediate = core.withLock { $0.outboxSpace(orWait: continuation) }
            if case .now(let ready) = immediate { continuation.resume(returning: ready) }
        }
    }
}
