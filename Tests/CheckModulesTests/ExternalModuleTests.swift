import Foundation
import NoitCore
import Testing

@testable import CheckModules

@Suite("external: real processes")
struct ExternalModuleTests {
    let registry = ModuleRegistry([ExternalModule(environment: ExternalTestSupport.environment)])

    func run(_ check: CheckDefinition) async -> CheckResult { await registry.run(check) }
    func metric(_ result: CheckResult, _ name: String) -> MetricValue? { ExternalTestSupport.metric(result, name) }

    @Test("a plugin's exit code, status and perfdata become the result")
    func okPlugin() async throws {
        let plugin = try ExternalTestSupport.script(
            """
            echo "SERVICE OK - all good | 'response time'=12ms;100;200;0 size=2KB hits=17c"
            echo "long text line"
            exit 0
            """)
        defer { ExternalTestSupport.remove(plugin) }
        let result = await run(ExternalTestSupport.checkScript(plugin))
        #expect(result.availability == .available)
        #expect(result.state == .good)
        #expect(result.status == "SERVICE OK - all good")
        #expect(metric(result, "response time") == .double(0.012))
        #expect(metric(result, "size") == .double(2048))
        #expect(metric(result, "hits") == .uint64(17))
        #expect(metric(result, "exit_code") == .int32(0))
        #expect(metric(result, "perfdata_errors") == .int32(0))
        let duration = try #require(metric(result, "duration")?.doubleValue)
        // Under the check's timeout, or the run would have been a timeout.
        #expect(duration > 0 && duration < 120_000)
    }

    @Test("exit codes 1, 2 and 3 map to warning, critical and unknown")
    func exitCodes() async throws {
        let plugin = try ExternalTestSupport.script(#"echo "STATE $1 | bad=entry=1 good=1"; exit "$1""#)
        defer { ExternalTestSupport.remove(plugin) }
        let warning = await run(ExternalTestSupport.checkScript(plugin, ["1"]))
        #expect(warning.availability == .available)
        #expect(warning.state == .bad)
        #expect(warning.status == "STATE 1")
        #expect(metric(warning, "perfdata_errors") == .int32(1))
        #expect(metric(warning, "good") == .double(1))

        let critical = await run(ExternalTestSupport.checkScript(plugin, ["2"]))
        #expect(critical.availability == .available)
        #expect(critical.state == .bad)
        #expect(metric(critical, "exit_code") == .int32(2))

        let unknown = await run(ExternalTestSupport.checkScript(plugin, ["3"]))
        #expect(unknown.availability == .unavailable)
        #expect(unknown.state == .bad)
        #expect(unknown.status == "STATE 3")
        #expect(metric(unknown, "exit_code") == .int32(3))
    }

    @Test("a command that does not exist, or cannot be executed, fails with a clear status")
    func notRunnable() async throws {
        let missing = await run(ExternalTestSupport.check("/nonexistent/check_nothing"))
        #expect(missing.availability == .unavailable)
        #expect(missing.state == .bad)
        #expect(missing.status == "cannot run /nonexistent/check_nothing: No such file or directory")
        #expect(metric(missing, "exit_code") == .null(.int32))

        let plain = try ExternalTestSupport.script("exit 0")
        defer { ExternalTestSupport.remove(plain) }
        #expect(chmod(plain, 0o644) == 0)
        let notExecutable = await run(ExternalTestSupport.check(plain))
        #expect(notExecutable.status == "cannot run \(plain): Permission denied")
    }

    @Test("arguments reach the program verbatim, without a shell, with placeholders replaced")
    func argumentsVerbatim() async {
        let result = await run(ExternalTestSupport.check("/bin/echo", ["a  b", "$HOME", "*", "%[target]"]))
        #expect(result.state == .good)
        #expect(result.status == "a  b $HOME * 127.0.0.1")
    }

    @Test("the program sees only PATH and the env_ variables")
    func environment() async {
        let set = await run(ExternalTestSupport.check("/usr/bin/printenv", ["GREETING"], config: ["env_GREETING": "hello %[target]"]))
        #expect(set.status == "hello 127.0.0.1")
        let path = await run(ExternalTestSupport.check("/usr/bin/printenv", ["PATH"]))
        #expect(path.status == ExternalCommand.defaultSearchPath)
        // printenv exits 1 when a variable is not set: HOME leaks from the node otherwise.
        let home = await run(ExternalTestSupport.check("/usr/bin/printenv", ["HOME"]))
        #expect(metric(home, "exit_code") == .int32(1))
        #expect(home.status == "no output (exit code 1)")
    }

    @Test("the plugin inherits no descriptor of the node, and stdin is empty")
    func isolatedDescriptors() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("noit-external-leak-\(UUID().uuidString)").path
        // Deliberately without O_CLOEXEC, as careless code elsewhere in the node might open files.
        let descriptor = open(path, O_CREAT | O_RDWR, 0o600)
        try #require(descriptor >= 0)
        defer {
            close(descriptor)
            ExternalTestSupport.remove(path)
        }
        let plugin = try ExternalTestSupport.script(
            """
            cat > /dev/null
            if [ "$(readlink /proc/$$/fd/$1)" = "$2" ]; then echo "LEAKED fd $1"; exit 2; fi
            echo "CLEAN"
            """)
        defer { ExternalTestSupport.remove(plugin) }
        let result = await run(ExternalTestSupport.checkScript(plugin, [String(descriptor), path]))
        #expect(result.status == "CLEAN")
        #expect(result.state == .good)
    }

    @Test("huge output is capped at output_limit and drained so the plugin never blocks")
    func hugeOutput() async throws {
        let plugin = try ExternalTestSupport.script(
            """
            head -c 10000000 /dev/zero | tr '\\000' x
            echo
            echo "late | never=1"
            head -c 3000000 /dev/zero >&2
            exit 0
            """)
        defer { ExternalTestSupport.remove(plugin) }
        let result = await run(ExternalTestSupport.checkScript(plugin, config: ["output_limit": "1000"]))
        #expect(result.state == .good, "\(result.status)")
        #expect(result.status == String(repeating: "x", count: 1000))
        #expect(metric(result, "output_bytes") == .int64(10_000_000 + 1 + 15))
        #expect(metric(result, "never") == nil)
    }

    @Test("the check's timeout stops the plugin and records a timeout")
    func timeout() async throws {
        let plugin = try ExternalTestSupport.script("echo started; exec sleep 1000")
        defer { ExternalTestSupport.remove(plugin) }
        let clock = ContinuousClock()
        let start = clock.now
        let result = await run(ExternalTestSupport.checkScript(plugin, timeout: 300))
        let elapsed = clock.now - start
        #expect(result.status == "timeout")
        #expect(result.availability == .unavailable)
        #expect(result.state == .bad)
        #expect(result.metrics.isEmpty)
        #expect(elapsed >= .milliseconds(300))
        // The plugin would sleep 1000 s; only a hang crosses 120 s (a starved test process can
        // stall for 20 s).
        #expect(elapsed < .seconds(120))
    }

    @Test("cancelling a run kills the whole process group, grandchild included, even one ignoring SIGTERM")
    func cancellationKillsGroup() async throws {
        let pipe = try await ExternalPipeReader()
        // The grandchild ignores SIGTERM and holds the pipe's write end (fd 3): end of file on the
        // pipe is the proof that it is gone. The leader closes its own copy after reporting.
        let plugin = try ExternalTestSupport.script(
            """
            exec 3>"$1"
            ( trap '' TERM; exec sleep 1000 ) &
            echo "$!" >&3
            exec 3>&-
            echo "PLUGIN started"
            wait
            """)
        defer { ExternalTestSupport.remove(plugin) }
        let registry = self.registry
        // Ignoring the cancellation would wait for the 600 s timeout.
        let definition = ExternalTestSupport.checkScript(plugin, [pipe.writePath], timeout: 600_000)
        let clock = ContinuousClock()
        let run = Task { await registry.run(definition) }
        let grandchild = try #require(await pipe.firstLine().flatMap { pid_t($0) }, "the plugin never reported its grandchild")
        pipe.closeWriteEnd()
        #expect(kill(grandchild, 0) == 0, "the grandchild should be running before the cancellation")

        let cancelledAt = clock.now
        run.cancel()
        let result = await run.value
        #expect(result.status == "timeout")
        #expect(result.state == .bad)
        // 120 s: far below the timeout, and above any stall of a starved test process (20 s seen).
        #expect(clock.now - cancelledAt < .seconds(120))

        // The pipe reaches end of file only when the grandchild has exited; it would sleep
        // 1000 s, so 60 s is a bound only a hang of the test process reaches.
        let ended = await pipe.endOfFile(within: .seconds(60))
        #expect(ended, "grandchild \(grandchild) survived the cancellation")
        if !ended { kill(grandchild, SIGKILL) }
        await pipe.close()
    }

    @Test("a plugin killed by a signal is unavailable")
    func killedBySignal() async throws {
        let plugin = try ExternalTestSupport.script("echo 'about to die'; kill -9 $$")
        defer { ExternalTestSupport.remove(plugin) }
        let result = await run(ExternalTestSupport.checkScript(plugin))
        #expect(result.availability == .unavailable)
        #expect(result.status == "killed by signal 9 (Killed): about to die")
    }

    @Test("leftovers in the group are killed when the plugin exits")
    func leftoversKilled() async throws {
        let pipe = try await ExternalPipeReader()
        // The background child holds the pipe (fd 3) until it dies.
        let plugin = try ExternalTestSupport.script(
            """
            exec 3>"$1"
            sleep 1000 &
            echo "$!" >&3
            echo 'OK - backgrounded a child'
            """)
        defer { ExternalTestSupport.remove(plugin) }
        let registry = self.registry
        let definition = ExternalTestSupport.checkScript(plugin, [pipe.writePath])
        let run = Task { await registry.run(definition) }
        let child = try #require(await pipe.firstLine().flatMap { pid_t($0) })
        pipe.closeWriteEnd()
        let result = await run.value
        #expect(result.state == .good)
        #expect(result.status == "OK - backgrounded a child")
        // The child would sleep 1000 s: only a hang of the test process reaches 60 s.
        let ended = await pipe.endOfFile(within: .seconds(60))
        #expect(ended, "background child \(child) outlived its plugin")
        if !ended { kill(child, SIGKILL) }
        await pipe.close()
    }

    @Test("a process that left the group and holds stdout open does not hang the run")
    func escapedDescendant() async throws {
        let pipe = try await ExternalPipeReader()
        let plugin = try ExternalTestSupport.script(
            """
            exec 3>"$1"
            setsid sleep 1000 &
            echo "$!" >&3
            echo "OK - left an escaped child"
            """)
        defer { ExternalTestSupport.remove(plugin) }
        let registry = self.registry
        // A run that waited for the escaped child's stdout (held for 1000 s) would end by this
        // timeout: the OK status shows it did not.
        let definition = ExternalTestSupport.checkScript(plugin, [pipe.writePath], timeout: 60_000)
        let run = Task { await registry.run(definition) }
        let escaped = try #require(await pipe.firstLine().flatMap { pid_t($0) })
        pipe.closeWriteEnd()
        defer { kill(escaped, SIGKILL) }
        let result = await run.value
        #expect(result.state == .good)
        #expect(result.status == "OK - left an escaped child")
        await pipe.close()
    }

    @Test("no more than the cap run at once; the others wait and still complete")
    func concurrencyCap() async throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("external-cap-\(UUID().uuidString).log").path
        defer { ExternalTestSupport.remove(log) }
        let plugin = try ExternalTestSupport.script(
            """
            echo "+" >> "$1"
            sleep 0.2
            echo "-" >> "$1"
            echo "OK"
            """)
        defer { ExternalTestSupport.remove(plugin) }
        let module = ExternalModule(environment: ExternalTestSupport.environment, limiter: ExternalConcurrencyLimiter(limit: 2))
        let definition = ExternalTestSupport.checkScript(plugin, [log])
        let results = await withTaskGroup(of: CheckResult.self) { group in
            for _ in 0..<6 { group.addTask { await module.run(definition) } }
            var results = [CheckResult]()
            for await result in group { results.append(result) }
            return results
        }
        #expect(results.allSatisfy { $0.state == .good })
        let events = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(events.count == 12)
        var running = 0
        var peak = 0
        for event in events {
            running += event == "+" ? 1 : -1
            peak = max(peak, running)
        }
        #expect(peak <= 2)
        #expect(peak >= 1)
    }
}
