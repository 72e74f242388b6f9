import Foundation
import Logging
import NIOCore
import NIOPosix
import NoitTestSupport

#if canImport(Glibc)
import Glibc
#endif

@testable import CheckModules

/// A real dnsmasq, run as a child process on 127.0.0.1 at a free high port (UDP and TCP),
/// serving only the records given on its command line: no config file, no /etc/hosts, no
/// upstream servers. `stop()` (or deinit) kills it and reaps it.
///
/// `--no-daemon` keeps it in the foreground as our child and, per dnsmasq(8), also keeps it
/// from writing a pid file or switching to another user, so it runs the same as root or not.
///
/// The child is started with posix_spawn rather than Foundation's `Process`: dnsmasq closes
/// every inherited descriptor at startup, which `Process` takes for the child's exit and then
/// blocks its monitor thread in `waitpid` on the live child, hanging every later `Process` in
/// the test run. posix_spawn also lets the child start with an empty signal mask instead of
/// the dispatch worker's, which blocks SIGTERM.
final class DNSMasqServer {
    let port: Int
    private let pid: pid_t
    private let logFile: URL
    private var reaped = false
    private var exitStatus: Int32 = 0

    private init(port: Int, pid: pid_t, logFile: URL) {
        self.port = port
        self.pid = pid
        self.logFile = logFile
    }

    static func executable() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let candidates = ["/usr/sbin", "/usr/bin", "/sbin", "/bin"] + path.split(separator: ":").map(String.init)
        for directory in candidates where FileManager.default.isExecutableFile(atPath: directory + "/dnsmasq") {
            return directory + "/dnsmasq"
        }
        throw DNSMasqError.notInstalled
    }

    /// Starts dnsmasq with `records` (dnsmasq options such as `--host-record=...`) and returns
    /// once it answers a query. A start that fails (a port taken between picking and binding
    /// it) is retried with another port.
    static func start(records: [String]) async throws -> DNSMasqServer {
        let executable = try executable()
        var lastError: any Error = DNSMasqError.exited(log: "not started")
        for _ in 0..<5 {
            let port = try freePort()
            let logFile = FileManager.default.temporaryDirectory.appendingPathComponent("dnsmasq-\(UUID().uuidString).log")
            let arguments =
                [
                    executable, "--no-daemon", "--log-facility=-", "--port=\(port)", "--listen-address=127.0.0.1",
                    "--bind-interfaces", "--no-resolv", "--no-hosts", "--conf-file=/dev/null",
                ] + records
            let server = DNSMasqServer(port: port, pid: try spawn(arguments, output: logFile.path), logFile: logFile)
            do {
                try await server.waitUntilAnswering()
                return server
            } catch let error as DNSMasqError {
                guard case .exited = error else { throw error }
                lastError = error
                continue
            }
        }
        throw lastError
    }

    private static func spawn(_ arguments: [String], output: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let status = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, environ)
        guard status == 0 else {
            throw DNSMasqError.exited(log: "posix_spawn failed: \(String(cString: strerror(status)))")
        }
        return pid
    }

    /// Polls with a CH TXT version.bind query (dnsmasq always answers it) until one is
    /// answered. A try unanswered after 2 s is given up for another; failing only after 90 s,
    /// which only a hang reaches (a starved test process can stall for 20 s), means a slow
    /// start is waited for rather than taken for a broken one.
    private func waitUntilAnswering() async throws {
        let transport = DNSTransport(group: MultiThreadedEventLoopGroup.singleton, logger: Logger(label: "dnsmasq-probe"))
        let question = DNSQuestion(name: DNSName(text: "version.bind")!, type: .txt, recordClass: .chaos)
        let address = try SocketAddress(ipAddress: "127.0.0.1", port: port)
        let clock = ContinuousClock()
        let giveUp = clock.now + .seconds(90)
        while clock.now < giveUp {
            guard isRunning else { throw DNSMasqError.exited(log: "\(exitDescription); log: \(log)") }
            let cancellation = DNSCancellation()
            let deadline = Task {
                try await Task.sleep(for: .seconds(2))
                cancellation.cancel()
            }
            let outcome = await transport.exchangeOverUDP(DNSQuery(question: question), server: address, cancellation: cancellation)
            deadline.cancel()
            if case .reply = outcome { return }
            // Not bound yet (port unreachable comes back at once): pause before the next try.
            try await Task.sleep(for: .milliseconds(20))
        }
        throw DNSMasqError.notAnswering(port: port, log: log)
    }

    /// Whether the child is still running; reaps it once it has exited.
    var isRunning: Bool {
        guard !reaped else { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
            reaped = true
            exitStatus = status
        }
        return !reaped
    }

    /// How the reaped child ended, as wait(2) status macros would say it.
    private var exitDescription: String {
        let signal = exitStatus & 0x7f
        return signal == 0 ? "exit status \((exitStatus >> 8) & 0xff)" : "killed by signal \(signal)"
    }

    var log: String {
        (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
    }

    func stop() {
        if isRunning {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            reaped = true
        }
        try? FileManager.default.removeItem(at: logFile)
    }

    deinit { stop() }

    /// A port no one on 127.0.0.1 uses for UDP or TCP right now (dnsmasq binds both), below
    /// the ephemeral range. A port checked for UDP only, from that range, was at times the
    /// local port of a test's TCP connection, five times running under a full parallel run:
    /// dnsmasq exited with "failed to create listening socket: Address already in use".
    private static func freePort() throws -> Int {
        try LoopbackServer.unboundUDPAndTCPPort()
    }
}
