import NIOCore
import NIOPosix
import NoitCore

/// Runs a program, Nagios-plugin style: the exit code gives the state, the first line of
/// output the status, and the performance data typed metrics (see `ExternalResultBuilder`).
///
/// The program is executed directly, never through a shell, in its own process group, with an
/// environment holding only `PATH` and the check's `env_` keys. At the check's timeout (or when
/// the run is cancelled) the whole group gets SIGTERM, then SIGKILL; when the program exits,
/// whatever it left running in its group is killed, so no run leaves processes behind. At most
/// `ExternalConcurrencyLimiter.shared.limit` plugins run at once on the node (environment
/// variable `NOIT_EXTERNAL_MAX_CONCURRENT`, default 32); further runs wait for a slot, and the
/// wait counts against their timeout.
public struct ExternalModule: CheckModule {
    public static let descriptor = ModuleDescriptor(
        name: "external",
        summary: "Runs a Nagios-compatible plugin: exit code to state, first output line to status, perfdata to metrics.",
        parameters: [
            ModuleParameter("command", required: true, allowed: "/.*", runsProgram: true, help: "absolute path of a program the config's <access> allows (no shell is involved)"),
            ModuleParameter(
                "arg", isPrefix: true,
                help: "arg0 is argv[0] (default: the command); arg1..argN are the arguments, in numeric order; "
                    + "%[target], %[name], %[module], %[uuid], %[period] and %[timeout] are replaced"),
            ModuleParameter(
                "env_", isPrefix: true, suffixAllowed: ExternalCommand.allowedVariableName,
                help: "env_NAME sets the variable NAME (not PATH nor the dynamic loader's LD_*); the program gets only these and PATH=\(ExternalCommand.defaultSearchPath)"),
            ModuleParameter(
                "output_limit", default: "65536", allowed: AllowedPattern.unsignedInteger,
                help: "bytes of standard output kept; the rest is read and discarded"),
        ])

    private let loop: any EventLoop
    private let limiter: ExternalConcurrencyLimiter

    public init(environment: ModuleEnvironment) {
        self.init(environment: environment, limiter: .shared)
    }

    init(environment: ModuleEnvironment, limiter: ExternalConcurrencyLimiter) {
        // Pipes need a socket-capable loop; any other group gets NIO's shared one.
        let group = environment.eventLoopGroup
        self.loop = NIOPipeBootstrap(validatingGroup: group) != nil ? group.next() : MultiThreadedEventLoopGroup.singleton.next()
        self.limiter = limiter
    }

    public func run(_ check: CheckDefinition) async -> CheckResult {
        let clock = ContinuousClock()
        let start = clock.now
        func elapsed() -> Double { (clock.now - start).milliseconds }
        let deadline = NIODeadline.now() + .milliseconds(check.timeoutMilliseconds)

        let command: ExternalCommand
        do {
            command = try ExternalCommand(check: check)
        } catch {
            return .failed(error.reason)
        }
        let outputLimit = check.intConfig("output_limit") ?? 65_536

        guard await limiter.acquire() else { return .timedOut(afterMilliseconds: Int64(elapsed())) }
        defer { limiter.release() }
        guard NIODeadline.now() < deadline, !Task.isCancelled else {
            return .timedOut(afterMilliseconds: Int64(elapsed()))
        }

        let process: ExternalProcess
        do {
            process = try ExternalProcess.start(command, outputLimit: outputLimit, deadline: deadline, loop: loop)
        } catch {
            let duration = elapsed()
            return .failed(
                error.description, durationMilliseconds: Int64(duration.rounded()),
                metrics: [Metric("exit_code", .null(.int32)), Metric("duration", .double(duration))])
        }
        let outcome = await process.outcome()
        return ExternalResultBuilder.result(of: outcome, durationMilliseconds: elapsed())
    }
}
