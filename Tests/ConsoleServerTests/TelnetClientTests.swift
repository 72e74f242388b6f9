import ConsoleServer
import NoitTestSupport
import Testing

private let ESC = "\u{1B}"

/// The real Debian `telnet` in a pseudo-terminal against a live server: what an operator
/// sees. Waits are for text on the terminal; timeouts only guard against hangs.
@Suite(.enabled(if: TelnetTerminal.isAvailable, "needs /usr/bin/telnet (scripts/setup.sh test installs it)"))
struct TelnetClientTests {
    @Test func negotiatesCharacterModeAndWindowSize() async throws {
        try await ConsoleTestServer.with { server, _ in
            let terminal = try server.telnet(columns: 120, rows: 40)
            defer { terminal.close() }
            try await terminal.waitFor("noitd test console")
            try await terminal.waitFor("noit# ")
            // Tab completion only works if telnet sends keys one by one (character mode).
            terminal.send("sh ter\t")
            try await terminal.waitFor("terminal ")
            terminal.send("\r")
            try await terminal.waitFor("width 120 height 40 length 39")
            try await terminal.waitFor("noit# ")
        }
    }

    @Test func tabCompletionAndQuestionMarkHelp() async throws {
        try await ConsoleTestServer.with { server, _ in
            let terminal = try server.telnet()
            defer { terminal.close() }
            try await terminal.waitFor("noit# ")
            terminal.send("conf\t")
            try await terminal.waitFor("configure ")
            terminal.send("t\t\r")
            try await terminal.waitFor("noit(conf:/)# ")
            terminal.send("?")
            try await terminal.waitFor("  end   Return to the top level\r\n")
            try await terminal.waitFor("noit(conf:/)# ")
            terminal.send("end\r")
            try await terminal.waitFor("noit# ")
            // Several candidates: listed, then the line is redrawn.
            terminal.send("sh\t")
            try await terminal.waitFor("  show      shutdown\r\n\rnoit# sh")
            terminal.send("ow ?")
            try await terminal.waitFor("  version   Software version\r\n")
            try await terminal.waitFor("noit# show ")
            // A parameter completes from its completer.
            terminal.send("check \t\r")
            try await terminal.waitFor("check \(DemoCommands.checkID)\r\n")
            // No match: a bell.
            terminal.send("zz\t")
            try await terminal.waitFor("zz\u{07}")
        }
    }

    @Test func abbreviationsAndErrorMessages() async throws {
        try await ConsoleTestServer.with { server, _ in
            let terminal = try server.telnet()
            defer { terminal.close() }
            try await terminal.waitFor("noit# ")
            terminal.send("sh ver\r")
            try await terminal.waitFor("noitd test 0.1\r\nnoit# ")
            terminal.send("s\r")
            try await terminal.waitFor("% Ambiguous command: \"s\"\r\n  show      shutdown\r\nnoit# ")
            terminal.send("show bogus\r")
            try await terminal.waitFor("show bogus\r\n           ^\r\n% Invalid input detected at '^' marker.\r\nnoit# ")
            terminal.send("configure\r")
            try await terminal.waitFor("% Incomplete command.\r\nnoit# ")
        }
    }

    @Test func historyAndEmacsKeys() async throws {
        try await ConsoleTestServer.with { server, _ in
            let terminal = try server.telnet()
            defer { terminal.close() }
            try await terminal.waitFor("noit# ")
            terminal.send("show version\r")
            try await terminal.waitFor("noitd test 0.1\r\nnoit# ")
            terminal.send("show terminal\r")
            try await terminal.waitFor("width 120")
            // Up twice: back to `show version`.
            terminal.send("\(ESC)[A\(ESC)[A\r")
            try await terminal.waitFor("noitd test 0.1\r\nnoit# ")
            // Ctrl-A then Ctrl-K kills the whole line.
            terminal.send("bogus\u{01}\u{0B}show version\r")
            try await terminal.waitFor("noitd test 0.1\r\nnoit# ")
            // Ctrl-U kills before the cursor.
            terminal.send("garbage\u{15}show version\r")
            try await terminal.waitFor("noitd test 0.1\r\nnoit# ")
            // Ctrl-W kills a word.
            terminal.send("show bogus\u{17}version\r")
            try await terminal.waitFor("noitd test 0.1\r\nnoit# ")
            // Ctrl-A, insert at the start, Ctrl-E, append.
            terminal.send("how versio\u{01}s\u{05}n\r")
            try await terminal.waitFor("noitd test 0.1\r\nnoit# ")
            // Left arrow, insert in the middle.
            terminal.send("show vrsion\(ESC)[D\(ESC)[D\(ESC)[D\(ESC)[D\(ESC)[De\r")
            try await terminal.waitFor("noitd test 0.1\r\nnoit# ")
            #expect(!terminal.output.contains("Invalid input"))
        }
    }

    @Test func ctrlCCtrlZAndCtrlD() async throws {
        try await ConsoleTestServer.with { server, _ in
            let terminal = try server.telnet()
            defer { terminal.close() }
            try await terminal.waitFor("noit# ")
            terminal.send("show bogus\u{03}")
            try await terminal.waitFor("^C\r\nnoit# ")
            terminal.send("configure terminal\r")
            try await terminal.waitFor("noit(conf:/)# ")
            terminal.send("ls\u{1A}")
            try await terminal.waitFor("^Z\r\nnoit# ")
            terminal.send("show version\r")
            try await terminal.waitFor("noitd test 0.1\r\nnoit# ")
            #expect(server.server.sessionCount == 1)
            terminal.send("\u{04}")
            try await terminal.waitFor("Connection closed by foreign host.")
            try await terminal.waitForExit()
        }
    }

    @Test func pagingWithMore() async throws {
        try await ConsoleTestServer.with { server, _ in
            let terminal = try server.telnet(rows: 40)  // 39 rows per page
            defer { terminal.close() }
            try await terminal.waitFor("noit# ")
            terminal.send("show values\r")
            let first = try await terminal.waitFor("--More--")
            #expect(first.contains("value 39\r\n"))
            #expect(!first.contains("value 40"))
            terminal.send(" ")  // next page
            let second = try await terminal.waitFor("--More--")
            #expect(second.contains("value 40\r\n") && second.contains("value 78\r\n"))
            #expect(!second.contains("value 79"))
            terminal.send("\r")  // one more line
            let third = try await terminal.waitFor("--More--")
            #expect(third.contains("value 79\r\n"))
            #expect(!third.contains("value 80"))
            terminal.send("q")
            let rest = try await terminal.waitFor("noit# ")
            #expect(!rest.contains("value 80"))
            #expect(!rest.contains("(stopped)"))
            terminal.send("terminal length 0\r")
            try await terminal.waitFor("noit# ")
            terminal.send("show values\r")
            let all = try await terminal.waitFor("values done\r\nnoit# ")
            #expect(all.contains("value 100\r\n"))
            #expect(!all.contains("--More--"))
        }
    }

    @Test func watchStreamsUntilAKeyAndConfirmAsks() async throws {
        try await ConsoleTestServer.with { server, _ in
            let terminal = try server.telnet()
            defer { terminal.close() }
            try await terminal.waitFor("noit# ")
            terminal.send("watch\r")
            try await terminal.waitFor("tick 3\r\n")
            terminal.send("x")
            try await terminal.waitFor("watch stopped by 120\r\nnoit# ")
            terminal.send("reload\r")
            try await terminal.waitFor("Proceed with reload? [confirm]")
            terminal.send("n")
            try await terminal.waitFor("reload cancelled\r\nnoit# ")
            terminal.send("reload\r")
            try await terminal.waitFor("[confirm]")
            terminal.send("\r")
            try await terminal.waitFor("reloading\r\nnoit# ")
            // The Enter that answered did not also reach the line editor as an empty line.
            terminal.send("show version\r")
            let after = try await terminal.waitFor("noitd test 0.1\r\n")
            #expect(!after.contains("noit# noit# "))
        }
    }

    @Test func typeaheadWhileACommandRuns() async throws {
        try await ConsoleTestServer.with { server, _ in
            let terminal = try server.telnet()
            defer { terminal.close() }
            try await terminal.waitFor("noit# ")
            // `reload` waits for a key; the keys typed with it: `y` answers, the rest is the next line.
            terminal.send("reload\ryshow version\r")
            try await terminal.waitFor("reloading\r\n")
            try await terminal.waitFor("noit# show version\r\nnoitd test 0.1\r\nnoit# ")
        }
    }

    @Test func passwordLoginWithoutEcho() async throws {
        let hash = ConsolePassword.hash("s3cret", iterations: 1000)
        try await ConsoleTestServer.with({ $0.passwordHash = hash }) { server, _ in
            let terminal = try server.telnet()
            defer { terminal.close() }
            try await terminal.waitFor("Password: ")
            terminal.send("wrong\r")
            try await terminal.waitFor("% Login invalid\r\n\r\nPassword: ")
            terminal.send("s3cret\r")
            try await terminal.waitFor("noit# ")
            #expect(!terminal.output.contains("s3cret"))
            #expect(!terminal.output.contains("wrong"))
            terminal.send("exit\r")
            try await terminal.waitFor("bye")
            try await terminal.waitForExit()
            let lines = server.logs.lines
            #expect(!lines.contains { $0.contains("s3cret") || $0.contains("wrong") })
            await server.logs.waitForLine(containing: "console logout")
            #expect(server.logs.lines.contains { $0.contains("console login") && $0.contains("127.0.0.1:") })
        }
    }
}
