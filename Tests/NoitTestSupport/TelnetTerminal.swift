import Foundation
import Glibc
import Synchronization

/// Debian's real `/usr/bin/telnet HOST PORT`, run in a pseudo-terminal the test types into.
///
/// The child is a session leader whose controlling terminal is the pty slave, with a window
/// size set (telnet reports it by NAWS), so it behaves as for a user at a terminal: raw mode
/// once the server offers ECHO, Ctrl-C/Ctrl-Z sent as bytes. Everything the terminal shows
/// is kept in `output`; `waitFor` awaits text in what arrived since the previous wait.
public final class TelnetTerminal: Sendable {
    public enum Failure: Error, CustomStringConvertible {
        case spawn(Int32)
        case openpty(Int32)
        case timedOut(waitingFor: String, recent: String)
        case closed(waitingFor: String, recent: String)

        public var description: String {
            switch self {
            case .spawn(let code): "posix_spawn failed: \(code)"
            case .openpty(let code): "openpty failed: \(code)"
            case .timedOut(let text, let recent): "timed out waiting for \(text.debugDescription); recent output: \(recent.debugDescription)"
            case .closed(let text, let recent): "output ended before \(text.debugDescription); recent output: \(recent.debugDescription)"
            }
        }
    }

    public static let executable = "/usr/bin/telnet"
    /// glibc's POSIX_SPAWN_SETSID (a GNU extension the Glibc module does not import).
    private static let spawnSetsid: Int32 = 0x80
    public static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: executable) }

    public let pid: pid_t
    private let master: Int32
    private let reaped = Mutex(false)
    private let stream: Output

    /// Starts `telnet host port` in a `columns`×`rows` terminal.
    public init(host: String, port: Int, columns: UInt16 = 120, rows: UInt16 = 40) throws {
        var master: Int32 = -1
        var slave: Int32 = -1
        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        guard openpty(&master, &slave, nil, nil, &size) == 0 else { throw Failure.openpty(errno) }
        let slavePath = String(cString: ttyname(slave))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Opened anew by path in the child, after setsid: the slave becomes its controlling terminal.
        posix_spawn_file_actions_addopen(&actions, 0, slavePath, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        posix_spawn_file_actions_addclose(&actions, master)
        posix_spawn_file_actions_addclose(&actions, slave)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(Self.spawnSetsid | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        let home = FileManager.default.temporaryDirectory.path  // no ~/.telnetrc surprises
        let arguments = [Self.executable, host, String(port)]
        let environment = ["TERM=vt100", "PATH=/usr/bin:/bin", "HOME=\(home)", "LANG=C.UTF-8"]
        var argv = arguments.map { strdup($0) } + [nil]
        var envp = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, Self.executable, &actions, &attributes, &argv, &envp)
        Glibc.close(slave)  // only the child keeps it: its exit then ends our reads with EIO
        guard result == 0 else {
            Glibc.close(master)
            throw Failure.spawn(result)
        }
        self.pid = pid
        self.master = master
        let fd = master
        let stream = Output()
        self.stream = stream
        // A plain thread: the reads block, and must not hold a cooperative-pool thread.
        let reader = Thread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    stream.append(buffer[..<count])
                } else if count < 0, errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            Glibc.close(fd)
            stream.finish()
        }
        reader.start()
    }

    /// Types text, as is (use "\r" for Enter, "\u{3}" for Ctrl-C, "\u{1B}[A" for Up).
    public func send(_ text: String) {
        send(bytes: Array(text.utf8))
    }

    public func send(bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(master, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }

    /// Waits until `text` appears in the output that arrived since the previous successful
    /// wait, and returns that output up to and including `text`. The timeout only guards
    /// against a hang; it is not a measurement.
    @discardableResult
    public func waitFor(_ text: String, timeout: Duration = TelnetTerminal.Output.defaultTimeout) async throws -> String {
        try await stream.waitFor(text, timeout: timeout)
    }

    /// Everything the terminal showed so far.
    public var output: String { stream.text }

    /// Output since the previous successful `waitFor`.
    public var recentOutput: String { stream.recent }

    /// True once telnet exited and its output was read to the end.
    public var isFinished: Bool { stream.isFinished }

    /// Waits until telnet's terminal output ends (it exited, e.g. the server closed).
    public func waitForExit(timeout: Duration = TelnetTerminal.Output.defaultTimeout) async throws {
        try await stream.waitForEnd(timeout: timeout)
    }

    /// Kills telnet (if still running) and reaps it.
    public func close() {
        let already = reaped.withLock { reaped in
            defer { reaped = true }
            return reaped
        }
        guard !already else { return }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
    }

    deinit {
        close()
    }
}

extension TelnetTerminal {
    /// Bytes received by a test client, and tasks waiting for text to show up in them.
    /// Shared by `TelnetTerminal` and `LineClient`.
    public final class Output: Sendable {
        /// Only guards against a hang. Generous, because the whole suite starting at once on
        /// two cores has kept the console suites' loop threads from running for 20 s.
        public static let defaultTimeout: Duration = .seconds(90)
        private struct State {
            var bytes: [UInt8] = []
            /// Where the next `waitFor` starts looking.
            var mark = 0
            var finished = false
            /// Bumped by every change, so a waiter never misses one between check and wait.
            var version = 0
            var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
            var lastID = 0
        }

        private enum WaitStep<Result> {
            case done(Result)
            case ended(String)
            case wait
        }

        private let state = Mutex(State())

        public init() {}

        public func append(_ bytes: some Collection<UInt8>) {
            let waiters = state.withLock { state in
                state.bytes += bytes
                state.version += 1
                defer { state.waiters = [:] }
                return Array(state.waiters.values)
            }
            for waiter in waiters { waiter.resume() }
        }

        /// No more bytes will come (the connection or the terminal closed).
        public func finish() {
            let waiters = state.withLock { state in
                state.finished = true
                state.version += 1
                defer { state.waiters = [:] }
                return Array(state.waiters.values)
            }
            for waiter in waiters { waiter.resume() }
        }

        public var text: String { state.withLock { String(decoding: $0.bytes, as: UTF8.self) } }
        public var recent: String { state.withLock { String(decoding: $0.bytes[$0.mark...], as: UTF8.self) } }
        public var byteCount: Int { state.withLock { $0.bytes.count } }
        public var isFinished: Bool { state.withLock { $0.finished } }

        /// Waits for `text` after the mark; returns the output from the mark through `text` and
        /// moves the mark past it.
        public func waitFor(_ text: String, timeout: Duration) async throws -> String {
            let needle = Array(text.utf8)
            return try await waitUntil(timeout: timeout, describing: text) { state, scanned in
                // Resume where the previous look stopped: rescanning a large output on every
                // chunk would cost quadratic time.
                let from = max(state.mark, scanned - needle.count + 1)
                scanned = state.bytes.count
                guard let range = Self.find(needle, in: state.bytes, from: from) else { return nil }
                let found = String(decoding: state.bytes[state.mark..<range.upperBound], as: UTF8.self)
                state.mark = range.upperBound
                return found
            }
        }

        /// Waits until the output has ended.
        public func waitForEnd(timeout: Duration) async throws {
            try await waitUntil(timeout: timeout, describing: "<end of output>") { state, _ in
                state.finished ? () : nil
            }
        }

        private func waitUntil<Result: Sendable>(
            timeout: Duration, describing text: String,
            _ check: @escaping @Sendable (inout State, inout Int) -> Result?
        ) async throws -> Result {
            let deadline = ContinuousClock.now + timeout
            var scanned = 0
            while true {
                let (step, version): (WaitStep<Result>, Int) = state.withLock { state in
                    if let result = check(&state, &scanned) { return (.done(result), state.version) }
                    if state.finished { return (.ended(String(decoding: state.bytes[state.mark...], as: UTF8.self)), state.version) }
                    return (.wait, state.version)
                }
                switch step {
                case .done(let result):
                    return result
                case .ended(let recent):
                    throw TelnetTerminal.Failure.closed(waitingFor: text, recent: recent)
                case .wait:
                    break
                }
                guard ContinuousClock.now < deadline else {
                    throw TelnetTerminal.Failure.timedOut(waitingFor: text, recent: recent)
                }
                await changed(since: version, until: deadline)
            }
        }

        /// Returns when the output changed after `version` (new bytes, or the end), or the
        /// deadline passed.
        private func changed(since version: Int, until deadline: ContinuousClock.Instant) async {
            let id = state.withLock { state in
                state.lastID += 1
                return state.lastID
            }
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    await withTaskCancellationHandler {
                        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                            let register = self.state.withLock { state -> Bool in
                                if Task.isCancelled || state.version != version { return false }
                                state.waiters[id] = continuation
                                return true
                            }
                            if !register { continuation.resume() }
                        }
                    } onCancel: {
                        let waiter = self.state.withLock { $0.waiters.removeValue(forKey: id) }
                        waiter?.resume()
                    }
                }
                group.addTask {
                    try? await Task.sleep(until: deadline, clock: .continuous)
                }
                await group.next()
                group.cancelAll()
            }
        }

        private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Range<Int>? {
            guard !needle.isEmpty else { return start..<start }
            guard haystack.count - start >= needle.count else { return nil }
            var index = start
            while index + needle.count <= haystack.count {
                if haystack[index] == needle[0], haystack[index..<index + needle.count].elementsEqual(needle) {
                    return index..<index + needle.count
                }
                index += 1
            }
            return nil
        }
    }
}
