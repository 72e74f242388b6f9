import Foundation
import Logging
import NIOPosix
import NoitCore

@testable import CheckModules

/// Runs dns checks the way the scheduler does: through a registry, and cancelled if they run
/// far too long, so a test against a broken server ends instead of hanging.
enum DNSTestRunner {
    static let registry = ModuleRegistry([
        DNSModule(environment: ModuleEnvironment(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: Logger(label: "dns-test")))
    ])

    static func check(
        port: Int, target: String = "a.test", timeoutMilliseconds: Int64 = 60_000, _ config: [String: String] = [:]
    ) -> CheckDefinition {
        var merged = config
        merged["nameserver"] = merged["nameserver"] ?? "127.0.0.1"
        merged["port"] = String(port)
        return CheckDefinition(
            uuid: UUID(), module: "dns", target: target, periodMilliseconds: 60_000, timeoutMilliseconds: timeoutMilliseconds,
            config: merged)
    }

    /// The cut-off is at least 120 s, whatever the check's timeout: only a hang reaches it (a
    /// starved test process can stall for 20 s), so no verdict depends on racing it. Tests of
    /// the timeout itself go through the scheduler (`ScheduledRun`) or cancel the run.
    static func run(_ check: CheckDefinition) async -> CheckResult {
        let task = Task { await registry.run(check) }
        let deadline = Task {
            try await Task.sleep(for: .milliseconds(max(check.timeoutMilliseconds, 120_000)))
            task.cancel()
        }
        let result = await task.value
        deadline.cancel()
        return result
    }

    static func metric(_ result: CheckResult, _ name: String) -> MetricValue? {
        result.metrics.first { $0.name == name }?.value
    }
}
