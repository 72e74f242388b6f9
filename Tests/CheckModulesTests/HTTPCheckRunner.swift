import Foundation
import Logging
import NIOPosix
import NoitCore
import Testing

@testable import CheckModules

/// Runs http checks the way the node does (through a registry, defaults applied), after
/// asserting that the config is one the loader would accept.
///
/// The default timeout (the connect deadline too) is one only a hang reaches (60 s; a starved
/// test process can stall for 20 s): tests about a timeout pass their own.
struct HTTPCheckRunner {
    let registry = ModuleRegistry([
        HTTPModule(environment: ModuleEnvironment(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: Logger(label: "test")))
    ])

    func definition(_ url: String, target: String = "127.0.0.1", timeout: Int64 = 60_000, _ config: [String: String] = [:]) -> CheckDefinition {
        var merged = config
        merged["url"] = url
        return CheckDefinition(
            uuid: UUID(), module: "http", target: target, periodMilliseconds: 60_000, timeoutMilliseconds: timeout,
            config: merged)
    }

    func run(_ url: String, target: String = "127.0.0.1", timeout: Int64 = 60_000, _ config: [String: String] = [:]) async -> CheckResult {
        let check = definition(url, target: target, timeout: timeout, config)
        #expect(HTTPModule.descriptor.problems(in: check.config).isEmpty, "config refused: \(check.config)")
        return await registry.run(check)
    }

    func metric(_ result: CheckResult, _ name: String) -> MetricValue? {
        result.metrics.first { $0.name == name }?.value
    }
}
