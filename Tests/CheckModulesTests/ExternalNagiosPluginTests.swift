import Foundation
import NoitCore
import NoitTestSupport
import Testing

@testable import CheckModules

/// The real plugins from Debian's monitoring-plugins package, run against loopback services.
@Suite("external: real monitoring-plugins")
struct ExternalNagiosPluginTests {
    let registry = ModuleRegistry([ExternalModule(environment: ExternalTestSupport.environment)])

    func metric(_ result: CheckResult, _ name: String) -> MetricValue? { ExternalTestSupport.metric(result, name) }

    @Test("check_tcp against a listening loopback port is OK, with its time in seconds")
    func checkTCPOpen() async throws {
        let server = try await LoopbackServer(behavior: .silent)
        defer { Task { await server.close() } }
        let plugin = try ExternalTestSupport.plugin("check_tcp")
        let result = await registry.run(
            ExternalTestSupport.check(plugin, ["-H", "%[target]", "-p", String(server.port), "-t", "120"]))
        #expect(result.availability == .available)
        #expect(result.state == .good, "\(result.status)")
        #expect(result.status.hasPrefix("TCP OK"))
        #expect(metric(result, "exit_code") == .int32(0))
        let time = try #require(metric(result, "time")?.doubleValue)
        // Under the plugin's -t 120 (seconds), or it would have given up.
        #expect(time >= 0 && time < 120, "time is in seconds")
        #expect(metric(result, "perfdata_errors") == .int32(0))
    }

    @Test("check_tcp against a closed port is CRITICAL: available (the plugin answered) and bad")
    func checkTCPClosed() async throws {
        let port = try await LoopbackServer.closedPort()
        let plugin = try ExternalTestSupport.plugin("check_tcp")
        let result = await registry.run(ExternalTestSupport.check(plugin, ["-H", "127.0.0.1", "-p", String(port), "-t", "120"]))
        #expect(result.availability == .available)
        #expect(result.state == .bad)
        #expect(metric(result, "exit_code") == .int32(2))
        #expect(result.status.contains("Connection refused"), "\(result.status)")
    }

    @Test("check_http against a loopback HTTP responder is OK, with time in seconds and size in bytes")
    func checkHTTP() async throws {
        let responder = try await ExternalHTTPResponder()
        defer { Task { await responder.close() } }
        let plugin = try ExternalTestSupport.plugin("check_http")
        let result = await registry.run(
            ExternalTestSupport.check(
                plugin, ["-I", "127.0.0.1", "-p", String(responder.port), "-u", "/", "-s", "hello", "-t", "120"]))
        #expect(result.state == .good, "\(result.status)")
        #expect(result.status.hasPrefix("HTTP OK"))
        let time = try #require(metric(result, "time")?.doubleValue)
        #expect(time >= 0 && time < 120)
        let size = try #require(metric(result, "size")?.doubleValue)
        #expect(size > Double(responder.body.utf8.count), "size counts the whole response in bytes")
    }

    @Test("check_http reports a 500 as CRITICAL")
    func checkHTTPError() async throws {
        let responder = try await ExternalHTTPResponder(status: "500 Internal Server Error", body: "boom")
        defer { Task { await responder.close() } }
        let plugin = try ExternalTestSupport.plugin("check_http")
        let result = await registry.run(ExternalTestSupport.check(plugin, ["-I", "127.0.0.1", "-p", String(responder.port), "-t", "120"]))
        #expect(result.availability == .available)
        #expect(result.state == .bad)
        #expect(metric(result, "exit_code") == .int32(2))
        #expect(result.status.contains("500"), "\(result.status)")
    }

    @Test("check_disk on / gives the used space in bytes")
    func checkDisk() async throws {
        let plugin = try ExternalTestSupport.plugin("check_disk")
        let result = await registry.run(ExternalTestSupport.check(plugin, ["-w", "10%", "-c", "5%", "-p", "/", "-t", "120"]))
        #expect(result.availability == .available, "\(result.status)")
        #expect(result.status.hasPrefix("DISK "))
        let used = try #require(metric(result, "/")?.doubleValue, "metrics: \(result.metrics)")
        // Megabytes left unnormalised would be thousands; bytes of a real root file system are not.
        #expect(used > 1_048_576)
        var total = statvfs()
        #expect(statvfs("/", &total) == 0)
        #expect(used <= Double(total.f_blocks) * Double(total.f_frsize))
        #expect(metric(result, "perfdata_errors") == .int32(0))
    }

    @Test("check_load gives the three load averages")
    func checkLoad() async throws {
        let plugin = try ExternalTestSupport.plugin("check_load")
        let result = await registry.run(
            ExternalTestSupport.check(plugin, ["-w", "1000,1000,1000", "-c", "2000,2000,2000"]))
        #expect(result.state == .good, "\(result.status)")
        #expect(result.status.hasPrefix("LOAD OK") || result.status.hasPrefix("OK"), "\(result.status)")
        for name in ["load1", "load5", "load15"] {
            let value = try #require(metric(result, name)?.doubleValue, "\(name) missing: \(result.metrics)")
            #expect(value >= 0 && value < 1000)
        }
        #expect(metric(result, "perfdata_errors") == .int32(0))
    }
}
