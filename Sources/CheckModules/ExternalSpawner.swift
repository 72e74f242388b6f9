#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts a plugin with `posix_spawn`: forking a large multithreaded process is unsafe and slow,
/// while glibc's `posix_spawn` uses a vfork-style clone and reports exec failures as errors.
enum ExternalSpawner {
    /// A started child: its pid (also its process group id) and the read ends of its output pipes.
    struct Child: Sendable {
        var pid: pid_t
        var stdout: CInt
        var stderr: CInt
    }

    /// Why the program could not be started: an errno value.
    struct Failure: Error, Hashable, Sendable, CustomStringConvertible {
        var errno: CInt
        var operation: String
        var description: String { "\(operation): \(String(cString: strerror(errno)))" }
    }

    /// Spawns `command` in a new process group, with stdin from /dev/null, stdout and stderr
    /// into fresh pipes, every other descriptor closed, default signal dispositions and an empty
    /// signal mask (the node ignores SIGPIPE; a plugin must not inherit that).
    static func spawn(_ command: ExternalCommand) throws(Failure) -> Child {
        var stdoutPipe: [CInt] = [-1, -1]
        var stderrPipe: [CInt] = [-1, -1]
        guard makePipe(&stdoutPipe) else { throw Failure(errno: errno, operation: "pipe") }
        guard makePipe(&stderrPipe) else {
            let error = errno
            close(stdoutPipe[0])
            close(stdoutPipe[1])
            throw Failure(errno: error, operation: "pipe")
        }
        defer {
            close(stdoutPipe[1])
            close(stderrPipe[1])
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, stderrPipe[1], 2)
        // Descriptors opened elsewhere in the node without close-on-exec must not leak into plugins.
        _ = closeFrom?(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigfillset(&defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setpgroup(&attributes, 0)
        let flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let argv = command.arguments.map { strdup($0) } + [nil]
        let envp = command.environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, command.path, &actions, &attributes, argv, envp)
        guard result == 0 else {
            close(stdoutPipe[0])
            close(stderrPipe[0])
            throw Failure(errno: result, operation: "cannot run \(command.path)")
        }
        return Child(pid: pid, stdout: stdoutPipe[0], stderr: stderrPipe[0])
    }

    /// A pipe with close-on-exec set on both ends, so that a plugin spawned concurrently by
    /// another run cannot inherit them and keep this run's output open.
    private static func makePipe(_ fds: inout [CInt]) -> Bool {
        if let pipe2 = pipeWithFlags { return pipe2(&fds, O_CLOEXEC) == 0 }
        guard pipe(&fds) == 0 else { return false }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return true
    }

    // glibc declares these two only under _GNU_SOURCE / __USE_MISC, which the Swift Glibc module
    // does not see, so they are looked up at run time; elsewhere the portable fallbacks apply.
    private typealias PipeWithFlags = @convention(c) (UnsafeMutablePointer<CInt>?, CInt) -> CInt
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, CInt) -> CInt

    private static let pipeWithFlags: PipeWithFlags? = dlsym(nil, "pipe2").map { unsafeBitCast($0, to: PipeWithFlags.self) }
    private static let closeFrom: CloseFrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map {
        unsafeBitCast($0, to: CloseFrom.self)
    }
}
