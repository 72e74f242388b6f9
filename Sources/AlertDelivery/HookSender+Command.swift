#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension HookSender {
    /// Used when the parent has no `PATH`, so scripts can still find the usual tools.
    static let fallbackPath = "/usr/local/bin:/usr/bin:/bin"

    /// The environment is the alert's variables plus the parent's `PATH` and nothing else, so
    /// database passwords and other secrets in the daemon's environment never reach the script.
    func runCommand(path: String, arguments: [String], environment: [String: String], timeoutMs: Int64) async -> DeliveryOutcome {
        var environment = environment
        environment["PATH"] = getenv("PATH").map { String(cString: $0) } ?? Self.fallbackPath
        let result = await CommandRunner.run(path: path, arguments: arguments, environment: environment, timeoutMs: timeoutMs)
        return DeliveryClassifier.classify(result, timeoutMs: timeoutMs)
    }
}
