import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Kills a command's process group when its deadline passes, whichever of "process started" and
/// "deadline passed" happens first.
///
/// The kill happens under the lock that ``finished()`` takes, so a group whose leader has been
/// reaped and recorded as finished is never signalled (its id could be reused). The remaining
/// window, between the reap inside Subprocess and ``finished()``, is microseconds long and would
/// need the pid space to wrap around within it.
final class ProcessGroupKillSwitch: Sendable {
    private enum State {
        case notStarted
        case running(pid_t)
        case finished
        /// With the group that was killed, once known.
        case fired(pid_t?)
    }

    private let state = Mutex<State>(.notStarted)

    /// Records the started process. Returns `false` when the deadline has already passed; the
    /// group has then been killed here, before the caller reads any output.
    func started(processGroup pid: pid_t) -> Bool {
        state.withLock { state in
            switch state {
            case .notStarted:
                state = .running(pid)
                return true
            case .fired:
                _ = kill(-pid, SIGKILL)
                state = .fired(pid)
                return false
            case .running, .finished:
                return true
            }
        }
    }

    func finished() {
        state.withLock { state in
            if case .fired = state { return }
            state = .finished
        }
    }

    /// Called at the deadline: kills the whole group, because `sh -c` scripts leave children that
    /// would otherwise keep running and keep standard error open.
    func fire() {
        state.withLock { state in
            switch state {
            case .notStarted:
                state = .fired(nil)
            case .running(let pid):
                _ = kill(-pid, SIGKILL)
                state = .fired(pid)
            case .finished, .fired:
                break
            }
        }
    }

    var didFire: Bool {
        state.withLock { state in
            if case .fired = state { return true }
            return false
        }
    }

    /// The process group that was killed, if the deadline passed after the process started.
    var killedGroup: pid_t? {
        state.withLock { state in
            if case .fired(let pid) = state { return pid }
            return nil
        }
    }

    /// After a kill, waits until no member of `group` runs any more, so that a timed-out
    /// delivery returns with nothing of the command still running.
    ///
    /// SIGKILL is delivered asynchronously, and the leader's reaping says nothing about its
    /// children. There is no event for "a process group stopped running", so this polls; bounded,
    /// because a process in uninterruptible sleep cannot be waited for. 30 s: a killed process
    /// on a busy machine can wait seconds to be scheduled and exit, and only one stuck in
    /// uninterruptible sleep takes that long; the interval grows so such a wait costs little.
    static func waitUntilGone(_ group: pid_t, atMost bound: Duration = .seconds(30)) async {
        let clock = ContinuousClock()
        let deadline = clock.now + bound
        var interval = Duration.milliseconds(2)
        while ProcessGroupProbe.hasRunningMembers(group), clock.now < deadline {
            try? await Task.sleep(for: interval)
            interval = min(interval * 2, .milliseconds(100))
        }
    }
}
