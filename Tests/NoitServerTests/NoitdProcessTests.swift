import CheckModules
import Foundation
import NoitConfig
import NoitTestSupport
import Testing

@testable import NoitServer

/// The real `noitd` executable, driven as an operator would: signals, curl, its log.
@Suite("noitd as a process")
struct NoitdProcessTests {
    static var executable: String? { BuiltProducts.executable("noitd") }

    func curl(_ url: String) async throws -> String {
        try await Curl.body([url])
    }

    @Test("--make-token prints a token and the <api_token> element that lets it change checks")
    func makeToken() async throws {
        let binary = try #require(Self.executable, "build noitd first (swift build --build-tests)")
        let maker = try ChildProcess(executable: binary, arguments: ["--make-token", "deploy"])
        #expect(await maker.waitForExit() == 0)
        let lines = maker.output.filter { !$0.isEmpty }
        try #require(lines.count == 2, "\(lines)")
        let token = lines[0]
        #expect(token.hasPrefix("noit_"))
        #expect(lines[1] == "<api_token name=\"deploy\" hash=\"\(APIToken.hashText(of: token))\"/>")

        let fixture = try NodeFixture()
        defer { fixture.remove() }
        try fixture.writeConfig(
            checks: "<check uuid=\"\(UUID())\" module=\"selfcheck\"/>",
            listeners: "<listeners><listener type=\"http\" address=\"127.0.0.1\" port=\"0\"/></listeners>",
            access: "<access>\(lines[1])</access>")
        try await RunningNode.with(fixture) { running in
            let base = try #require(running.httpBase)
            let body = "<check><attributes><module>selfcheck</module><target>10.3.3.3</target></attributes></check>"
            let made = try await Curl.run([
                "-X", "PUT", "-H", "Authorization: Bearer \(token)", "-H", "Content-Type: application/xml",
                "--data-binary", body, "\(base)/checks/set/\(UUID())",
            ])
            #expect(made.status == 200, "\(made.body)")
            #expect(running.log.lines.contains { $0.contains("token deploy: set check") })
        }
        let refused = try ChildProcess(executable: binary, arguments: ["--make-token", "a\"b"])
        #expect(await refused.waitForExit() != 0)
    }

    @Test("ready line, /metrics over curl, SIGHUP reload, SIGTERM drains and flushes")
    func lifecycle() async throws {
        let binary = try #require(Self.executable, "build noitd first (swift build --build-tests)")
        let fixture = try NodeFixture()
        defer { fixture.remove() }
        let listeners = "<listeners><listener type=\"http\" address=\"127.0.0.1\" port=\"0\"/></listeners>"
        try fixture.writeConfig(checks: "<check uuid=\"\(UUID())\" module=\"selfcheck\"/>", listeners: listeners)
        let noitd = try ChildProcess(executable: binary, arguments: ["--config", fixture.configPath, "--foreground"])

        let ready = try #require(await noitd.waitForLine(containing: "noitd ready"))
        let marker = try #require(ready.range(of: "http=http://127.0.0.1:"))
        let port = try #require(Int(ready[marker.upperBound...].prefix { $0.isNumber }))
        let metrics = try await curl("http://127.0.0.1:\(port)/metrics")
        #expect(metrics.contains("noit_checks 1.0"))

        try fixture.writeConfig(
            checks: """
                <check uuid="\(UUID())" module="selfcheck"/>
                <check uuid="\(UUID())" module="selfcheck" name="second"/>
                """, listeners: listeners)
        noitd.signal(SIGHUP)
        let reloaded = try #require(await noitd.waitForLine(containing: "config reloaded"))
        #expect(reloaded.contains("added=2"))
        #expect(reloaded.contains("removed=1"))

        noitd.signal(SIGTERM)
        let status = await noitd.waitForExit()
        #expect(status == 0)
        #expect(noitd.output.contains { $0.contains("journal flushed and closed") })
        #expect(noitd.output.contains { $0.contains("noitd stopped") })
    }

    @Test("a broken config is refused at start with exit status 78 and the file and line")
    func refusesBrokenConfig() async throws {
        let binary = try #require(Self.executable, "build noitd first (swift build --build-tests)")
        let fixture = try NodeFixture()
        defer { fixture.remove() }
        try fixture.writeConfig(checks: "<check uuid=\"\(UUID())\" module=\"selfcheck\" period=\"10\"/>")
        let noitd = try ChildProcess(executable: binary, arguments: ["--config", fixture.configPath, "--foreground"])
        let status = await noitd.waitForExit()
        #expect(status == 78)
        #expect(noitd.output.contains { $0.contains(fixture.configPath + ":") && $0.contains("period") })
    }
}

/// The example config is what `make run` starts from: it must load with the node's modules.
@Suite("The example config")
struct ExampleConfigTests {
    @Test("conf/noitd.conf loads, with its listeners on loopback")
    func loads() throws {
        let path = FileManager.default.currentDirectoryPath + "/conf/noitd.conf"
        let modules = ModuleRegistry.standardDescriptors
        let configuration = try ConfigLoader.load(path: path, modules: { modules[$0] })
        #expect(configuration.checks.count >= 8)
        #expect(Set(configuration.listeners.map(\.type)) == [.http, .console, .feed])
        #expect(configuration.listeners.allSatisfy { $0.address == "127.0.0.1" })
    }
}
