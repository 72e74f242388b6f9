import Foundation
import Logging
import NIOPosix
import NoitCore

@testable import CheckModules

/// Runs dns checks the way the scheduler does: through a registry, cancelled at the
/// check's timeout, so a test against a broken server ends instead of hanging.
enum DNSTestRunner {
    static let registry = ModuleRegistry([
        DNSModule(environment: ModuleEnvironment(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: Logger(label: "dns-test")))
    ])

    static func check(
        port: Int, target: String = "a.test", timeoutMilliseconds: Int64 = 15_000, _ config: [String: String] = [:]
    ) -> CheckDefinition {
        var merged = config
        merged["nameserver"] = merged["nameserver"] ?? "127.0.0.1"
        merged["port"] = String(port)
        return CheckDefinition(
            uuid: UUID(), module: "dns", target: target, periodMilliseconds: 60_000, timeoutMilliseconds: timeoutMilliseconds,
            config: merged)
    }

    static func run(_ check: CheckDefinition) async -> CheckResult {
        let task = Task { await registry.run(check) }
        let deadline = Task {
            try await Task.sleep(for: .milliseconds(check.timeoutMilliseconds))
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
