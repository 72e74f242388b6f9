import Subprocess

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// Runs a command hook's process with swift-subprocess.
///
/// swift-subprocess rather than a hand-written `posix_spawn`: it spawns without a shell, puts the
/// child in its own process group (`processGroupID = 0`), reads pipes with non-blocking I/O and
/// learns of the exit through a pidfd watched by its own monitor thread, so no cooperative thread
/// is ever blocked in `waitpid` or `read`.
///
/// Contract:
/// - The outcome is decided when the started process exits: Subprocess stops reading standard
///   error at that point, so a background child that keeps it open does not hold the delivery up
///   (and is left running: scripts that start daemons are on their own).
/// - At the timeout the whole process group gets SIGKILL, and the call returns once no member of
///   the group runs any more (bounded, see ``ProcessGroupKillSwitch/waitUntilGone(_:atMost:)``).
/// - If the calling task is cancelled, Subprocess's teardown sequence kills the group.
/// - Standard input is empty and standard output is discarded.
enum CommandRunner {
    static func run(path: String, arguments: [String], environment: [String: String], timeoutMs: Int64) async -> CommandResult {
        let killSwitch = ProcessGroupKillSwitch()
        return await withTaskGroup(of: CommandResult?.self) { group in
            group.addTask {
                await runProcess(path: path, arguments: arguments, environment: environment, killSwitch: killSwitch)
            }
            group.addTask {
                // A cancelled sleep means the process finished first (or the caller was cancelled,
                // in which case Subprocess's teardown sequence kills the group).
                guard (try? await Task.sleep(for: .milliseconds(timeoutMs))) != nil else { return nil }
                killSwitch.fire()
                return nil
            }
            var result: CommandResult?
            while let next = await group.next() {
                if let next {
                    result = next
                    group.cancelAll()
                }
            }
            // The process child always yields a result, so this only guards against a logic error.
            return result ?? CommandResult(termination: .failed("no result"), standardError: [])
        }
    }

    private static func runProcess(path: String, arguments: [String], environment: [String: String], killSwitch: ProcessGroupKillSwitch) async -> CommandResult {
        var options = PlatformOptions()
        // Its own group, so a timeout can kill the children of a shell script too.
        options.processGroupID = 0
        options.teardownSequence = [.send(signal: .kill, toProcessGroup: true, allowedDurationToNextStep: .milliseconds(500))]
        var keyed: [Environment.Key: String] = [:]
        for (name, value) in environment { keyed[Environment.Key(stringLiteral: name)] = value }
        let limit = ResponseExcerpt.maximumBytes
        do {
            let execution = try await Subprocess.run(
                .path(FilePath(path)),
                arguments: Arguments(arguments),
                environment: .custom(keyed),
                platformOptions: options,
                input: .none,
                output: .discarded,
                error: .sequence
            ) { execution in
                _ = killSwitch.started(processGroup: execution.processIdentifier.value)
                var collected: [UInt8] = []
                // Keep draining after the limit: a child blocked on a full pipe would never exit.
                for try await buffer in execution.standardError where collected.count < limit {
                    buffer.withUnsafeBytes { bytes in
                        collected.append(contentsOf: bytes.prefix(limit - collected.count))
                    }
                }
                return collected
            }
            killSwitch.finished()
            let stderr = execution.closureResult
            if killSwitch.didFire {
                if let group = killSwitch.killedGroup { await ProcessGroupKillSwitch.waitUntilGone(group) }
                return CommandResult(termination: .timedOut, standardError: stderr)
            }
            switch execution.terminationStatus {
            case .exited(let code):
                return CommandResult(termination: .exited(code), standardError: stderr)
            case .signaled(let signal):
                return CommandResult(termination: .signaled(signal), standardError: stderr)
            }
        } catch {
            killSwitch.finished()
            if killSwitch.didFire {
                if let group = killSwitch.killedGroup { await ProcessGroupKillSwitch.waitUntilGone(group) }
                return CommandResult(termination: .timedOut, standardError: [])
            }
            return CommandResult(termination: .failed(String(describing: error).truncated(toUTF16Length: 200)), standardError: [])
        }
    }
}
