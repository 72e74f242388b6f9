import Testing

@testable import CheckModules

@Suite("external: plugin output layout, without I/O")
struct ExternalPluginOutputTests {
    @Test("a single line without perfdata is all status")
    func statusOnly() {
        let output = ExternalPluginOutput("PING OK - Packet loss = 0%\n")
        #expect(output.status == "PING OK - Packet loss = 0%")
        #expect(output.longText.isEmpty)
        #expect(output.perfdata.entries.isEmpty)
    }

    @Test("the status stops at the first '|'")
    func statusAndPerfdata() {
        let output = ExternalPluginOutput("TCP OK - 0.000 second response time on 127.0.0.1 port 22|time=0.000123s;;;0.000000;10.000000\n")
        #expect(output.status == "TCP OK - 0.000 second response time on 127.0.0.1 port 22")
        #expect(output.perfdata.entries.map(\.label) == ["time"])
    }

    @Test("long text and perfdata on later lines, as in the plugin guidelines")
    func multiline() {
        let text = """
            DISK OK - free space: / 3326 MB (56%); | /=2643MB;5948;5958;0;5968
            / 15272 MB (77%);
            /boot 68 MB (69%);
            /home 69357 MB (27%);
            /var/log 819 MB (84%); | /boot=68MB;88;93;0;98
            /home=69357MB;253404;253409;0;253414
            /var/log=818MB;970;975;0;980

            """
        let output = ExternalPluginOutput(text)
        #expect(output.status == "DISK OK - free space: / 3326 MB (56%);")
        #expect(output.longText == ["/ 15272 MB (77%);", "/boot 68 MB (69%);", "/home 69357 MB (27%);", "/var/log 819 MB (84%); "])
        #expect(output.perfdata.entries.map(\.label) == ["/", "/boot", "/home", "/var/log"])
        #expect(output.perfdata.errors == 0)
    }

    @Test("CRLF line endings and surrounding blanks are trimmed from the status")
    func crlf() {
        let output = ExternalPluginOutput("  WARNING - slow \r\nmore\r\n")
        #expect(output.status == "WARNING - slow")
        #expect(output.longText == ["more"])
    }

    @Test("empty output gives an empty status")
    func empty() {
        #expect(ExternalPluginOutput("").status == "")
        #expect(ExternalPluginOutput("\n\n").status == "")
        #expect(ExternalPluginOutput("| a=1").perfdata.entries.count == 1)
    }
}
