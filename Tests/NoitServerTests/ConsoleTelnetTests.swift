import Foundation
import NoitTestSupport
import Testing

/// The console as an operator uses it: Debian's real telnet client in a pseudo-terminal,
/// against the real noitd executable, through a restart.
@Suite("Console over telnet (real noitd, real telnet)")
struct ConsoleTelnetTests {
    /// The console address from noitd's ready line (`console=telnet://127.0.0.1:PORT`).
    static func consolePort(_ ready: String) throws -> Int {
        let marker = "telnet://127.0.0.1:"
        let start = try #require(ready.range(of: marker)).upperBound
        return try #require(Int(ready[start...].prefix { $0.isNumber }))
    }

    static func startNoitd(_ fixture: NodeFixture) async throws -> (ChildProcess, Int) {
        let binary = try #require(NoitdProcessTests.executable, "build noitd first (swift build --build-tests)")
        let noitd = try ChildProcess(executable: binary, arguments: ["--config", fixture.configPath, "--foreground"])
        let ready = try #require(await noitd.waitForLine(containing: "noitd ready"))
        return (noitd, try consolePort(ready))
    }

    @Test("create → configure → enable → show → write memory → restart → still there, with Tab, ?, history and Ctrl keys")
    func fullCycle() async throws {
        try #require(TelnetTerminal.isAvailable, "telnet is installed by scripts/setup.sh test")
        let fixture = try NodeFixture()
        defer { fixture.remove() }
        try fixture.writeConfig(
            checks: "<check uuid=\"\(UUID())\" module=\"selfcheck\"/>",
            listeners: "<listeners><listener type=\"console\" address=\"127.0.0.1\" port=\"0\"/></listeners>")
        var (noitd, port) = try await Self.startNoitd(fixture)

        let terminal = try TelnetTerminal(host: "127.0.0.1", port: port)
        defer { terminal.close() }
        try await terminal.waitFor("noit# ")
        // `?` mid-word lists the candidates with their help, then the line comes back.
        terminal.send("sh?")
        let help = try await terminal.waitFor("noit# sh")
        #expect(help.contains("show") && help.contains("shutdown"))
        // Ctrl-U clears the line; Tab completes keywords.
        terminal.send("\u{15}conf\tt\t\r")
        try await terminal.waitFor("noit(conf:/checks)# ")

        terminal.send("check new target 10.7.7.7 module tcp name web period 5000\r")
        let created = try await terminal.waitFor("noit(10.7.7.7`web)# ")
        let uuidStart = try #require(created.range(of: "% Created check ")).upperBound
        let uuid = String(created[uuidStart...].prefix(36))
        #expect(UUID(uuidString: uuid) != nil)
        // Abbreviated words; a value the module refuses is refused with the reason.
        terminal.send("conf port 99999\r")
        let refused = try await terminal.waitFor("noit(10.7.7.7`web)# ")
        #expect(refused.contains("config key 'port' has invalid value '99999'"))
        terminal.send("conf port 8080\r")
        try await terminal.waitFor("noit(10.7.7.7`web)# ")
        terminal.send("no attr disable\r")
        try await terminal.waitFor("noit(10.7.7.7`web)# ")
        terminal.send("status\r")
        let status = try await terminal.waitFor("noit(10.7.7.7`web)# ")
        #expect(status.contains("disable: false [default]"))
        #expect(status.contains("port: 8080 [self]"))
        #expect(status.contains("next run: "))
        #expect(!status.contains("next run: not planned"))
        terminal.send("end\r")
        try await terminal.waitFor("noit# ")

        // Tab completes a check's uuid from a prefix.
        terminal.send("show check \(uuid.prefix(8))\t")
        try await terminal.waitFor(uuid)
        terminal.send("\r")
        let shown = try await terminal.waitFor("noit# ")
        #expect(shown.contains("10.7.7.7`tcp`web"))
        // Up recalls the previous line; Ctrl-W deletes a word, Ctrl-A/Ctrl-E move.
        terminal.send("\u{1B}[A\r")
        let recalled = try await terminal.waitFor("noit# ")
        #expect(recalled.contains("10.7.7.7`tcp`web"))
        terminal.send("show bogus\u{17}version\u{1}\u{5}\r")
        let version = try await terminal.waitFor("noit# ")
        #expect(version.contains("noitd 0.1.0"))
        // Ctrl-C abandons a line without running it.
        terminal.send("shutdown\u{3}")
        try await terminal.waitFor("noit# ")

        terminal.send("wr mem\r")
        let saved = try await terminal.waitFor("noit# ")
        #expect(saved.contains("% Saved to \(fixture.configPath)"))
        #expect(FileManager.default.fileExists(atPath: fixture.configPath + ".bak"))
        // Ctrl-D on an empty line logs out.
        terminal.send("\u{4}")
        try await terminal.waitForExit()
        let audit = await noitd.waitForLine(containing: "check new \(uuid)")
        #expect(audit?.contains("audit: console 127.0.0.1:") == true)
        let saveAudit = await noitd.waitForLine(containing: ": write memory: ")
        #expect(saveAudit?.contains("audit: console 127.0.0.1:") == true)

        noitd.signal(SIGTERM)
        #expect(await noitd.waitForExit() == 0)
        (noitd, port) = try await Self.startNoitd(fixture)
        let again = try TelnetTerminal(host: "127.0.0.1", port: port)
        defer { again.close() }
        try await again.waitFor("noit# ")
        again.send("show check \(uuid)\r")
        let restarted = try await again.waitFor("noit# ")
        #expect(restarted.contains("10.7.7.7`tcp`web"))
        #expect(restarted.contains("disable: false"))
        #expect(restarted.contains("port: 8080 [self]"))
        again.send("exit\r")
        try await again.waitForExit()
        noitd.signal(SIGTERM)
        #expect(await noitd.waitForExit() == 0)
    }
}
