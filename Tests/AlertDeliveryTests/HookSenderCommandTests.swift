import AsyncHTTPClient
import Foundation
import NIOPosix
import Testing

@testable import AlertDelivery

@Suite("Command hooks")
struct HookSenderCommandTests {
    func withSender<T>(_ body: (HookSender) async throws -> T) async throws -> T {
        let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
        let sender = HookSender(httpClient: client, logger: LogCapture().logger)
        let result: T
        do {
            result = try await body(sender)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        return result
    }

    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("alert-delivery-\(UUID().uuidString)-\(name)").path
    }

    /// A command timeout only a hang crosses: a starved test process can stall for 20 s, and
    /// spawning under load is slow.
    static let generousTimeoutMs: Int64 = 300_000

    func shell(_ script: String, _ extra: [String] = [], timeoutMs: Int64 = HookSenderCommandTests.generousTimeoutMs) -> HookDefinition {
        // "$0" is the script's name; the rest become "$1"... in the script.
        HookDefinition(name: "script", kind: .command(path: "/bin/sh", arguments: ["-c", script, "alert-hook"] + extra, timeoutMs: timeoutMs))
    }

    @Test func exitZeroIsDeliveredAndSeesTheAlert() async throws {
        let output = temporaryPath("out")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let hook = shell(#"printf '%s %s' "$ALERT_ACTION" "$ALERT_KEY" > "$1""#, [output])
        let outcome = try await withSender { await $0.deliver(.sample(), to: hook, nowMs: 0) }
        #expect(outcome == .delivered(status: nil))
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "trigger rule-disk/0b7c3f4e-check/df`used_percent")
    }

    @Test func environmentIsOnlyPathAndTheAlert() async throws {
        let output = temporaryPath("env")
        defer { try? FileManager.default.removeItem(atPath: output) }
        // Standard output is discarded by the sender, so the script saves it to a file.
        let hook = shell(#"/usr/bin/env -0 > "$1""#, [output])
        let outcome = try await withSender { await $0.deliver(.sample(), to: hook, nowMs: 0) }
        #expect(outcome == .delivered(status: nil))
        let data = try #require(FileManager.default.contents(atPath: output))
        let entries = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        let names = Set(entries.compactMap { $0.split(separator: "=", maxSplits: 1).first.map(String.init) })
        #expect(names.contains("PATH"))
        #expect(names.contains("ALERT_JSON"))
        let unexpected = names.filter { !$0.hasPrefix("ALERT_") && !["PATH", "PWD", "OLDPWD", "SHLVL", "_"].contains($0) }
        #expect(unexpected.isEmpty, "parent environment leaked: \(unexpected.sorted())")
        let json = try #require(entries.first { $0.hasPrefix("ALERT_JSON=") }).dropFirst("ALERT_JSON=".count)
        #expect(try TestJSON.object(String(json))["check_uuid"] as? String == "0b7c3f4e-6a8b-4d47-9a35-6c1c4bd2b9a1")
    }

    @Test func nonZeroExitIsRetryableWithStderr() async throws {
        let hook = shell("echo 'pager gateway unreachable' >&2; exit 3")
        let outcome = try await withSender { await $0.deliver(.sample(), to: hook, nowMs: 0) }
        #expect(outcome == .retryable(status: nil, retryAfterMs: nil, message: "command exited with status 3: pager gateway unreachable"))
    }

    @Test func chattyStderrDoesNotBlockTheCommand() async throws {
        // Far more than a pipe buffer: the sender must keep draining past its excerpt limit.
        let hook = shell("head -c 300000 /dev/zero | tr '\\0' 'e' >&2; exit 0")
        let outcome = try await withSender { await $0.deliver(.sample(), to: hook, nowMs: 0) }
        #expect(outcome == .delivered(status: nil))
    }

    @Test func missingExecutableIsRetryable() async throws {
        let hook = HookDefinition(name: "gone", kind: .command(path: "/nonexistent/alert-hook", arguments: [], timeoutMs: Self.generousTimeoutMs))
        let outcome = try await withSender { await $0.deliver(.sample(), to: hook, nowMs: 0) }
        guard case .retryable(nil, nil, let message) = outcome else {
            Issue.record("expected retryable, got \(outcome)")
            return
        }
        #expect(message.hasPrefix("command could not be run"))
    }

    @Test func timeoutKillsTheWholeProcessGroup() async throws {
        let pidFile = temporaryPath("pid")
        defer { try? FileManager.default.removeItem(atPath: pidFile) }
        let key = "timeout-test-\(UUID().uuidString)"
        // `; :` keeps the shell from exec'ing sleep, so a child outlives a plain kill of the shell.
        // The timeout is the point and stays short. The 300 s bound below tells "killed at the
        // timeout" from "ran the 600 s sleep"; a stall does not cross it, only a hang does.
        let hook = shell(#"echo $$ > "$1"; sleep 600; :"#, [pidFile], timeoutMs: 200)
        let clock = ContinuousClock()
        let start = clock.now
        let outcome = try await withSender { await $0.deliver(.sample(dedupKey: key), to: hook, nowMs: 0) }
        let elapsed = clock.now - start

        #expect(outcome == .retryable(status: nil, retryAfterMs: nil, message: "command timed out after 200 ms and was killed"))
        #expect(elapsed < .seconds(300), "returned after \(elapsed)")
        // The sender returns only once the shell is reaped and its process group (sleep included)
        // is empty; a process found here would still be running.
        #expect(ProcessTable.processes(withEnvironmentEntry: "ALERT_KEY=\(key)").isEmpty)
        if let text = try? String(contentsOfFile: pidFile, encoding: .utf8), let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            #expect(!ProcessTable.exists(pid))
        }
    }

    #if os(Linux)
    @Test func processTableFindsALiveProcess() throws {
        // Positive control for the check above: this test process itself must be found.
        let path = try #require(ProcessInfo.processInfo.environment["PATH"])
        #expect(ProcessTable.processes(withEnvironmentEntry: "PATH=\(path)").contains(getpid()))
    }
    #endif
}
