import Foundation
import Logging
import NIOCore
import NIOPosix
import NoitCore
import Synchronization

@testable import CheckModules

/// Shared pieces of the external module's tests: a module instance, check definitions, and
/// plugin scripts written to a private temporary directory.
enum ExternalTestSupport {
    static let environment = ModuleEnvironment(
        eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: Logger(label: "external-test"))

    static let pluginDirectory = "/usr/lib/nagios/plugins"

    /// The default timeout, 120 s, is one only a hang reaches (a starved test process can stall
    /// for 20 s): tests about the timeout pass their own.
    static func check(
        _ command: String, _ arguments: [String] = [], timeout: Int64 = 120_000, config: [String: String] = [:]
    ) -> CheckDefinition {
        var merged = config
        merged["command"] = command
        for (index, argument) in arguments.enumerated() { merged["arg\(index + 1)"] = argument }
        return CheckDefinition(
            uuid: UUID(), module: "external", target: "127.0.0.1", periodMilliseconds: 60_000,
            timeoutMilliseconds: timeout, config: ExternalModule.descriptor.applyingDefaults(to: merged))
    }

    /// A check that runs a test script through /bin/sh. Executing a freshly written script
    /// directly can fail with ETXTBSY while a concurrent test's spawn still holds a copy of the
    /// writing descriptor (between its clone and its exec); reading it through sh cannot.
    static func checkScript(
        _ script: String, _ arguments: [String] = [], timeout: Int64 = 120_000, config: [String: String] = [:]
    ) -> CheckDefinition {
        check("/bin/sh", [script] + arguments, timeout: timeout, config: config)
    }

    static func metric(_ result: CheckResult, _ name: String) -> MetricValue? {
        result.metrics.first { $0.name == name }?.value
    }

    /// Writes an executable `/bin/sh` script and returns its path; the test removes it with `remove`.
    static func script(_ body: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("noit-external-plugin-\(UUID().uuidString).sh").path
        try ("#!/bin/sh\n" + body + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        guard chmod(path, 0o755) == 0 else { throw POSIXError(.EPERM) }
        return path
    }

    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The path of a monitoring-plugins program; a missing package is a clear failure, not a skip.
    static func plugin(_ name: String) throws -> String {
        let path = pluginDirectory + "/" + name
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw MissingPlugin(path: path)
        }
        return path
    }

    struct MissingPlugin: Error, CustomStringConvertible {
        var path: String
        var description: String {
            "\(path) is missing: install the Debian package monitoring-plugins (apt-get install -y monitoring-plugins)"
        }
    }
}
