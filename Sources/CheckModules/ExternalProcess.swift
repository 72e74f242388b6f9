import Foundation
import NIOCore
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One running plugin, from spawn to a finished `Outcome`.
///
/// - Output: both pipes are read on an event loop (never blocking it) by `ExternalOutputCollector`.
/// - Exit: a dedicated thread blocks in `waitid` on this pid only, so other children of the node
///   are never reaped by mistake. It waits without reaping first: while the leader is a zombie
///   its pid cannot be reused, so the group can still be signalled safely; anything left in the
///   group is killed, then the leader is reaped.
/// - Stopping: at the deadline or on cancellation the whole process group gets SIGTERM, then
///   SIGKILL after `killGrace`. If even that cannot be reaped within `reapGrace` (a process stuck
///   in the kernel), the run gives up waiting; the thread still reaps it later.
///
/// The outcome is ready once the exit is known and both pipes are closed. Pipes still held open
/// after the leader exited (by a process that left the group) are closed after `outputGrace`.
final class ExternalProcess: Sendable {
    enum Termination: Hashable, Sendable {
        case exited(Int32)
        case signalled(Int32)
    }

    struct Outcome: Hashable, Sendable {
        /// Nil when the exit status could not be collected.
        var termination: Termination?
        var stdout: ExternalCapturedOutput
        var stderr: ExternalCapturedOutput
        /// The run hit its deadline or was cancelled, and the process group was signalled.
        var stopped: Bool
    }

    static let killGrace = TimeAmount.milliseconds(250)
    static let reapGrace = TimeAmount.seconds(1)
    /// Only a run whose plugin left a process holding its output waits this long (the others
    /// see the pipes close); 250 ms lost a plugin's output when a loaded machine had not yet
    /// read it from the pipe.
    static let outputGrace = TimeAmount.seconds(1)
    /// Bytes of stderr kept; it only serves as the status of a plugin that printed nothing else.
    static let stderrLimit = 4096

    private enum Stream: Sendable {
        case stdout, stderr
    }

    private struct State {
        var reaped = false
        var exitKnown = false
        var termination: Termination?
        var stdout: ExternalCapturedOutput?
        var stderr: ExternalCapturedOutput?
        var channels: [any Channel] = []
        var outputsClosing = false
        var stopping = false
        var abandoned = false
        var outcome: Outcome?
        var waiter: CheckedContinuation<Outcome, Never>?
        var timers: [Scheduled<Void>] = []
    }

    let pid: pid_t
    private let loop: any EventLoop
    private let state = Mutex(State())

    private init(pid: pid_t, loop: any EventLoop) {
        self.pid = pid
        self.loop = loop
    }

    /// Spawns `command` and starts watching it; the group is stopped at `deadline`.
    static func start(
        _ command: ExternalCommand, outputLimit: Int, deadline: NIODeadline, loop: any EventLoop
    ) throws(ExternalSpawner.Failure) -> ExternalProcess {
        let child = try ExternalSpawner.spawn(command)
        let process = ExternalProcess(pid: child.pid, loop: loop)
        process.read(child.stdout, limit: outputLimit, stream: .stdout)
        process.read(child.stderr, limit: stderrLimit, stream: .stderr)
        let deadlineTimer = loop.scheduleTask(deadline: deadline) { process.stop() }
        process.state.withLock { $0.timers.append(deadlineTimer) }
        let reaper = Thread { process.awaitExit() }
        reaper.name = "noit-external-\(child.pid)"
        reaper.start()
        return process
    }

    /// Waits for the outcome. Cancelling the waiting task stops the process group.
    func outcome() async -> Outcome {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
                let ready = state.withLock { state -> Outcome? in
                    if let outcome = state.outcome { return outcome }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            stop()
        }
    }

    /// SIGTERM to the group now, SIGKILL after `killGrace`, and stop waiting after `reapGrace` more.
    func stop() {
        let first = state.withLock { state -> Bool in
            guard !state.stopping, state.outcome == nil else { return false }
            state.stopping = true
            return true
        }
        guard first else { return }
        signalGroup(SIGTERM)
        let kill = loop.scheduleTask(in: Self.killGrace) { self.signalGroup(SIGKILL) }
        let abandon = loop.scheduleTask(in: Self.killGrace + Self.reapGrace) { self.abandon() }
        state.withLock { $0.timers += [kill, abandon] }
    }

    /// Signals the whole group, but only while the leader is unreaped: after that its id could
    /// belong to an unrelated process.
    private func signalGroup(_ signal: CInt) {
        state.withLock { state in
            if !state.reaped { _ = killpg(pid, signal) }
        }
    }

    private func read(_ descriptor: CInt, limit: Int, stream: Stream) {
        let bootstrap = NIOPipeBootstrap(validatingGroup: loop) ?? NIOPipeBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        bootstrap
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let collector = ExternalOutputCollector(limit: limit) { output in
                        self.finished(stream, output)
                    }
                    try channel.pipeline.syncOperations.addHandler(collector)
                }
            }
            .takingOwnershipOfDescriptor(input: descriptor)
            .whenComplete { result in
                switch result {
                case .success(let channel):
                    let closeNow = self.state.withLock { state -> Bool in
                        state.channels.append(channel)
                        return state.outputsClosing
                    }
                    // Registered only after the grace ran out (a loaded machine): what the
                    // plugin wrote is still in the pipe, so read it first, then close.
                    if closeNow {
                        channel.eventLoop.scheduleTask(in: Self.outputGrace) { channel.close(promise: nil) }
                    }
                case .failure:
                    // The bootstrap did not take the descriptor, so it is still ours to close.
                    close(descriptor)
                    self.finished(stream, ExternalCapturedOutput())
                }
            }
    }

    private func finished(_ stream: Stream, _ output: ExternalCapturedOutput) {
        state.withLock { state in
            switch stream {
            case .stdout: state.stdout = output
            case .stderr: state.stderr = output
            }
        }
        completeIfDone()
    }

    /// Runs on the reaper thread.
    private func awaitExit() {
        var info = siginfo_t()
        var waited: CInt
        repeat {
            waited = waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT)
        } while waited != 0 && errno == EINTR
        state.withLock { state in
            if waited == 0 {
                // The leader is a zombie: its group id is still reserved, so this reaches only
                // what the plugin left behind.
                _ = killpg(pid, SIGKILL)
                var status: CInt = 0
                if waitpid(pid, &status, 0) == pid {
                    state.termination = Self.termination(fromWaitStatus: status)
                }
            }
            state.reaped = true
            state.exitKnown = true
        }
        let closeOutputs = loop.scheduleTask(in: Self.outputGrace) { self.closeOutputs() }
        state.withLock { $0.timers.append(closeOutputs) }
        completeIfDone()
    }

    /// Decodes a `waitpid` status (the C macros are not visible from Swift).
    static func termination(fromWaitStatus status: CInt) -> Termination {
        let signal = status & 0x7F
        return signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal)
    }

    private func closeOutputs() {
        let channels = state.withLock { state -> [any Channel] in
            state.outputsClosing = true
            return state.channels
        }
        for channel in channels { channel.close(promise: nil) }
    }

    private func abandon() {
        state.withLock { $0.abandoned = true }
        closeOutputs()
        completeIfDone()
    }

    private func completeIfDone() {
        let finished = state.withLock { state -> (CheckedContinuation<Outcome, Never>?, Outcome, [Scheduled<Void>])? in
            guard state.outcome == nil, state.exitKnown || state.abandoned,
                let stdout = state.stdout, let stderr = state.stderr
            else { return nil }
            let outcome = Outcome(termination: state.termination, stdout: stdout, stderr: stderr, stopped: state.stopping)
            state.outcome = outcome
            let waiter = state.waiter
            state.waiter = nil
            let timers = state.timers
            state.timers = []
            return (waiter, outcome, timers)
        }
        guard let (waiter, outcome, timers) = finished else { return }
        for timer in timers { timer.cancel() }
        waiter?.resume(returning: outcome)
    }
}
