import Foundation
import NIOPosix
import NoitTestSupport
import PostgresNIO
import Stratcon
import Testing

/// The acceptance scenarios of the feed with real processes: noitd and stratcond binaries,
/// killed with SIGKILL mid-stream, against a real PostgreSQL. "Exactly once" is checked
/// against noitd's own journal: every status it journaled is one row, no more, no less.
@Suite("Platform processes: crashes lose and duplicate nothing", .serialized)
struct PlatformProcessTests {
    /// A temporary platform: certificates, a noitd with `checks` selfchecks every second,
    /// and a stratcond pointed at it.
    struct Platform {
        let directory: URL
        var noitdConfig: String { directory.appendingPathComponent("noitd.conf").path }
        var stratconConfig: String { directory.appendingPathComponent("stratcon.conf").path }
        var journal: String { directory.appendingPathComponent("journal").path }

        /// `checkElements` replaces the generated selfchecks when given.
        init(checks: Int, database: String, checkElements custom: String? = nil) throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("platform-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let authority = try TestCertificateAuthority()
            _ = try authority.writeCertificate(to: directory)
            for (name, cn) in [("noitd", "localhost"), ("stratcond", "stratcon-test"), ("stratcond-b", "stratcon-b")] {
                let issued = try authority.issue(commonName: cn)
                try issued.certificatePEM.write(to: directory.appendingPathComponent("\(name).crt"), atomically: true, encoding: .utf8)
                try issued.privateKeyPEM.write(to: directory.appendingPathComponent("\(name).key"), atomically: true, encoding: .utf8)
            }
            let checkElements = custom ?? (0..<checks).map { "<check uuid=\"\(UUID())\" module=\"selfcheck\" name=\"c\($0)\"/>" }.joined()
            try """
                <noit>
                  <journal path="journal" fsync_interval="100"/>
                  <!-- The alerting scenarios' external check runs a shell. -->
                  <access><program path="/bin/sh"/></access>
                  <listeners>
                    <listener type="feed" address="127.0.0.1" port="0" ssl_cert="noitd.crt" ssl_key="noitd.key" ssl_ca="ca.pem"
                      subscribers="stratcon-test,stratcon-b"/>
                  </listeners>
                  <checks period="1000" timeout="500" target="127.0.0.1">\(checkElements)</checks>
                </noit>
                """.write(toFile: noitdConfig, atomically: true, encoding: .utf8)
            try stratcon(feedPort: 1, database: database)
        }

        /// (Re)writes stratcon.conf once noitd's feed port is known.
        func stratcon(feedPort: Int, database: String, identity: String = "stratcond", path: String? = nil, extra: String = "") throws {
            try """
                <stratcon>
                  <data path="data"/>
                  \(database)
                  <tls cert="\(identity).crt" key="\(identity).key" ca="ca.pem"/>
                  <noits><noit address="127.0.0.1" port="\(feedPort)" server_name="localhost"/></noits>
                  <listeners><listener type="http" address="127.0.0.1" port="0"/></listeners>
                  \(extra)
                </stratcon>
                """.write(toFile: path ?? stratconConfig, atomically: true, encoding: .utf8)
        }

        func startNoitd() async throws -> (ChildProcess, Int) {
            let binary = try #require(BuiltProducts.executable("noitd"))
            let process = try ChildProcess(executable: binary, arguments: ["--config", noitdConfig, "--foreground"])
            let ready = try #require(await process.waitForLine(containing: "noitd ready"))
            let marker = try #require(ready.range(of: "feed://127.0.0.1:"))
            return (process, try #require(Int(ready[marker.upperBound...].prefix { $0.isNumber })))
        }

        func startStratcond(config: String? = nil) async throws -> ChildProcess {
            try await startStratcondWithAPI(config: config).process
        }

        /// Starts stratcond and reads the port its HTTP API got from its log.
        func startStratcondWithAPI(config: String? = nil) async throws -> (process: ChildProcess, apiPort: Int) {
            let binary = try #require(BuiltProducts.executable("stratcond"), "build stratcond first (swift build --build-tests)")
            let process = try ChildProcess(executable: binary, arguments: ["--config", config ?? stratconConfig])
            // "ready" comes first: the HTTP server reports its port once the group runs.
            _ = try #require(await process.waitForLine(containing: "stratcond ready"))
            let listening = try #require(await process.waitForLine(containing: "web UI and API listening"))
            let marker = try #require(listening.range(of: "http://127.0.0.1:"))
            let port = try #require(Int(listening[marker.upperBound...].prefix { $0.isNumber }))
            return (process, port)
        }

        /// The (check, time) of every status noitd journaled, read from its segment files.
        func journaledStatuses() throws -> Set<String> {
            let segments = journal + "/segments"
            var statuses = Set<String>()
            for name in try FileManager.default.contentsOfDirectory(atPath: segments) where name.hasSuffix(".journal") {
                let text = try String(contentsOfFile: segments + "/" + name, encoding: .utf8)
                for line in text.split(separator: "\n") {
                    let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
                    // seq, crc, then the record: S, time, uuid, ...
                    guard fields.count > 4, fields[2] == "S" else { continue }
                    statuses.insert("\(fields[4].lowercased())@\(fields[3])")
                }
            }
            return statuses
        }

        /// Rewrites noitd.conf without checks, for a SIGHUP that stops production.
        func removeChecks() throws {
            let text = try String(contentsOfFile: noitdConfig, encoding: .utf8)
            let open = try #require(text.range(of: "<checks "))
            let headEnd = try #require(text[open.upperBound...].range(of: ">")).upperBound
            let close = try #require(text.range(of: "</checks>"))
            try (String(text[..<headEnd]) + String(text[close.lowerBound...])).write(toFile: noitdConfig, atomically: true, encoding: .utf8)
        }

        /// Pins the feed listener to `port`, so a restarted noitd is where stratcond looks.
        func pinFeedPort(_ port: Int) throws {
            let text = try String(contentsOfFile: noitdConfig, encoding: .utf8)
            try text.replacingOccurrences(of: "port=\"0\" ssl_cert", with: "port=\"\(port)\" ssl_cert")
                .write(toFile: noitdConfig, atomically: true, encoding: .utf8)
        }

        func remove() {
            try? FileManager.default.removeItem(at: directory)
        }
    }

    static func storedStatuses(_ connection: PostgresConnection) async throws -> [String] {
        try await connection.values(
            "SELECT uuid::text || '@' || to_char(extract(epoch FROM time), 'FM9999999999990.000') FROM status_archive", as: String.self)
    }

    /// Waits until the database holds exactly what the journal holds (or the guard expires; the
    /// caller's comparison then fails). 300 s: only a hang crosses it, while catching up on a
    /// busy machine can take minutes.
    static func waitUntilCaughtUp(_ platform: Platform, _ connection: PostgresConnection) async throws -> (journaled: Set<String>, stored: [String]) {
        let deadline = ContinuousClock.now + .seconds(300)
        while true {
            let journaled = try platform.journaledStatuses()
            let stored = try await storedStatuses(connection)
            if Set(stored) == journaled || ContinuousClock.now > deadline { return (journaled, stored) }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// 300 s: only a hang crosses it, while noitd and stratcond on a busy machine can be slow.
    static func waitForRows(_ connection: PostgresConnection, atLeast target: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(300)
        while ContinuousClock.now < deadline {
            if (try await connection.values("SELECT count(*)::int FROM status_archive", as: Int.self).first ?? 0) >= target { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("timed out waiting for \(target) stored statuses")
    }

    @Test("kill -9 stratcond mid-stream and start it again: every journaled status stored exactly once")
    func killStratcond() async throws {
        try await FreshDatabase.with { configuration, store in
            let server = try TestPostgres.configuration()
            let dsn = "<database dsn=\"postgres://\(server.user)@\(server.host):\(server.port)/\(configuration.database ?? "")\"/>"
            let platform = try Platform(checks: 100, database: dsn)
            defer { platform.remove() }
            let (noitd, port) = try await platform.startNoitd()
            defer { noitd.signal(SIGKILL) }
            try platform.stratcon(feedPort: port, database: dsn)
            let first = try await platform.startStratcond()
            try await Self.waitForRows(store.connection, atLeast: 300)
            first.signal(SIGKILL)
            _ = await first.waitForExit()
            let second = try await platform.startStratcond()
            defer { second.signal(SIGKILL) }
            try await Self.waitForRows(store.connection, atLeast: 600)
            // Stop producing (a reload to no checks; noitd keeps serving), then everything
            // journaled must arrive.
            try platform.removeChecks()
            noitd.signal(SIGHUP)
            let reloaded = await noitd.waitForLine(containing: "config reloaded")
            #expect(reloaded?.contains("removed=100") == true)
            let (journaled, stored) = try await Self.waitUntilCaughtUp(platform, store.connection)
            #expect(journaled.count >= 600)
            #expect(stored.count == Set(stored).count)
            #expect(Set(stored) == journaled)
        }
    }

    @Test("kill -9 noitd and start it again: no acknowledged record lost or stored twice")
    func killNoitd() async throws {
        try await FreshDatabase.with { configuration, store in
            let server = try TestPostgres.configuration()
            let dsn = "<database dsn=\"postgres://\(server.user)@\(server.host):\(server.port)/\(configuration.database ?? "")\"/>"
            let platform = try Platform(checks: 100, database: dsn)
            defer { platform.remove() }
            var (noitd, port) = try await platform.startNoitd()
            try platform.pinFeedPort(port)
            try platform.stratcon(feedPort: port, database: dsn)
            let stratcond = try await platform.startStratcond()
            defer { stratcond.signal(SIGKILL) }
            try await Self.waitForRows(store.connection, atLeast: 300)
            noitd.signal(SIGKILL)
            _ = await noitd.waitForExit()
            (noitd, _) = try await platform.startNoitd()
            defer { noitd.signal(SIGKILL) }
            let before = try await Self.storedStatuses(store.connection).count
            try await Self.waitForRows(store.connection, atLeast: before + 300)
            try platform.removeChecks()
            noitd.signal(SIGHUP)
            _ = await noitd.waitForLine(containing: "config reloaded")
            let (journaled, stored) = try await Self.waitUntilCaughtUp(platform, store.connection)
            #expect(journaled.count >= before + 300)
            #expect(stored.count == Set(stored).count)
            #expect(Set(stored) == journaled)
        }
    }

    /// The resident set of a process, in KiB.
    static func residentKiB(_ pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    @Test("PostgreSQL stopped while noitd produces 6,000 statuses: everything arrives once, stratcond's memory stays bounded")
    func postgresOutage() async throws {
        let port = try LoopbackServer.unboundTCPPort()
        let platform = try Platform(checks: 100, database: "<database embedded_port=\"\(port)\"/>")
        defer { platform.remove() }
        let (noitd, feedPort) = try await platform.startNoitd()
        defer { noitd.signal(SIGKILL) }
        try platform.stratcon(feedPort: feedPort, database: "<database embedded_port=\"\(port)\"/>")
        let stratcond = try await platform.startStratcond()
        defer { stratcond.signal(SIGKILL) }
        // The same cluster stratcond runs, driven from here with the same code.
        let embedded = EmbeddedPostgres(dataDirectory: platform.directory.appendingPathComponent("data").path, port: port, logger: FreshDatabase.logger)
        let connection = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.next(), configuration: embedded.connectionConfiguration, id: 9, logger: FreshDatabase.logger)
        try await Self.waitForRows(connection, atLeast: 200)
        try? await connection.close()

        await embedded.stop()
        let memoryAtStop = Self.residentKiB(stratcond.pid)
        // The outage itself is the scenario: it lasts until noitd has produced a minute of its
        // nominal 100 statuses a second, counted in its journal, however slowly a busy machine
        // lets it run. 600 s: only a hang crosses it.
        let journaledAtStop = try platform.journaledStatuses().count
        let target = journaledAtStop + 60 * 100
        let deadline = ContinuousClock.now + .seconds(600)
        var peak = memoryAtStop
        while try platform.journaledStatuses().count < target {
            guard ContinuousClock.now < deadline else {
                Issue.record("noitd journaled fewer than \(target - journaledAtStop) statuses during the outage")
                break
            }
            try await Task.sleep(for: .seconds(1))
            peak = max(peak, Self.residentKiB(stratcond.pid))
        }
        try await embedded.start()
        let after = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.next(), configuration: embedded.connectionConfiguration, id: 10, logger: FreshDatabase.logger)
        defer { Task { try? await after.close() } }
        try platform.removeChecks()
        noitd.signal(SIGHUP)
        _ = await noitd.waitForLine(containing: "config reloaded")
        let (journaled, stored) = try await Self.waitUntilCaughtUp(platform, after)
        #expect(journaled.count >= target)
        #expect(stored.count == Set(stored).count)
        #expect(Set(stored) == journaled)
        // One batch held and retried, never the stream: the peak stays near where it was.
        #expect(peak < memoryAtStop + 64 * 1024, "RSS \(memoryAtStop) KiB at the stop, peak \(peak) KiB")
        // stratcond stops its cluster on SIGTERM; whatever happens, none is left behind.
        stratcond.signal(SIGTERM)
        // 120 s: beyond stratcond's own `pg_ctl stop -t 60`, so only a hang crosses it.
        let exited = await Self.exits(stratcond.pid, within: .seconds(120))
        stratcond.signal(SIGKILL)
        if !exited {
            _ = await stratcond.waitForExit()
            Issue.record("stratcond did not stop on SIGTERM; its last lines:\n\(stratcond.output.suffix(25).joined(separator: "\n"))")
        }
        await embedded.stop()
    }

    /// Polls for a process to be gone; a bounded wait, so a hung child fails the test
    /// instead of hanging the suite.
    static func exits(_ pid: Int32, within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid || kill(pid, 0) != 0 { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test("two stratconds under different CNs pull the same noitd into one database: both progress, nothing duplicated")
    func highAvailability() async throws {
        try await FreshDatabase.with { configuration, store in
            let server = try TestPostgres.configuration()
            let dsn = "<database dsn=\"postgres://\(server.user)@\(server.host):\(server.port)/\(configuration.database ?? "")\"/>"
            let platform = try Platform(checks: 50, database: dsn)
            defer { platform.remove() }
            let (noitd, port) = try await platform.startNoitd()
            defer { noitd.signal(SIGKILL) }
            try platform.stratcon(feedPort: port, database: dsn)
            let second = platform.directory.appendingPathComponent("stratcon-b.conf").path
            try platform.stratcon(feedPort: port, database: dsn, identity: "stratcond-b", path: second)
            let a = try await platform.startStratcond()
            defer { a.signal(SIGKILL) }
            let b = try await platform.startStratcond(config: second)
            defer { b.signal(SIGKILL) }
            #expect(await a.waitForLine(containing: "subscribed to the noit")?.contains("stratcon-test") == true)
            #expect(await b.waitForLine(containing: "subscribed to the noit")?.contains("stratcon-b") == true)
            try await Self.waitForRows(store.connection, atLeast: 300)
            try platform.removeChecks()
            noitd.signal(SIGHUP)
            _ = await noitd.waitForLine(containing: "config reloaded")
            let (journaled, stored) = try await Self.waitUntilCaughtUp(platform, store.connection)
            #expect(stored.count == Set(stored).count)
            #expect(Set(stored) == journaled)
            // Both subscribers acknowledged records: each pulls the whole stream itself, and the rows
            // above may all be one's, so each checkpoint is awaited. 300 s: only a hang crosses it.
            let deadline = ContinuousClock.now + .seconds(300)
            for subscriber in ["stratcon-test", "stratcon-b"] {
                let path = platform.journal + "/subscribers/\(subscriber).checkpoint"
                func checkpoint() -> UInt64 {
                    let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
                    return UInt64(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
                }
                while checkpoint() <= 300, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(checkpoint() > 300, "\(subscriber): \(checkpoint())")
            }
        }
    }
}
