import Testing

@testable import Console

/// Parser → editor → tree, the way the session will wire them, still without I/O.
@Suite struct ConsolePipelineTests {
    @Test func telnetClientTypesAbbreviatedCommand() {
        var tree = CommandTree<String>()
        tree.register(path: [.keyword("show", help: ""), .keyword("checks", help: "")], action: "show.checks")
        tree.register(path: [.keyword("shutdown", help: "")], action: "shutdown")
        var parser = TelnetParser()
        var editor = LineEditor()
        _ = parser.startNegotiation()
        let wire: [UInt8] = [Telnet.iac, Telnet.do, Telnet.Option.echo] + Array("sh".utf8)
            + [Telnet.iac, Telnet.iac] + [0x7F] + Array(" ch".utf8) + [0x0D, 0x00]
        var lines: [String] = []
        for byte in wire {
            for event in parser.receive([byte]) {
                guard case .data(let data) = event else { continue }
                for action in editor.receive(data) {
                    if case .line(let line) = action { lines.append(line) }
                }
            }
        }
        #expect(parser.clientNegotiated)
        // The escaped 0xFF reaches the editor as data, is invalid UTF-8 and is dropped, so
        // the backspace erases the `h`; `s ch` still resolves because `shutdown` takes no words.
        #expect(lines == ["s ch"])
        #expect(tree.resolve(lines[0]) == .command("show.checks", arguments: []))
    }
}
