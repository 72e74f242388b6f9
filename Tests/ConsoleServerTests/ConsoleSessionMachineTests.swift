import Console
import Testing

@testable import ConsoleServer

private typealias Machine = ConsoleSessionMachine<String>
private typealias Action = ConsoleSessionAction<String>

private let ESC = "\u{1B}"
private let doEcho: [UInt8] = [Telnet.iac, Telnet.do, Telnet.Option.echo]

private let tree: CommandTree<String> = {
    var tree = CommandTree<String>()
    tree.register(path: [.keyword("show", help: "Show things"), .keyword("version", help: "Version")], action: "version")
    tree.register(path: [.keyword("show", help: ""), .keyword("values", help: "Values")], action: "values")
    tree.register(path: [.keyword("show", help: ""), .keyword("check", help: "One check"), .parameter("uuid", help: "Check id")], action: "check")
    tree.register(path: [.keyword("shutdown", help: "Stop the node")], action: "shutdown")
    tree.register(path: [.keyword("configure", help: "Configure"), .keyword("terminal", help: "From the terminal")], action: "configure")
    return tree
}()

private func written(_ actions: [Action]) -> String {
    String(decoding: actions.flatMap { action -> [UInt8] in if case .write(let b) = action { b } else { [] } }, as: UTF8.self)
}

private func others(_ actions: [Action]) -> [Action] {
    actions.filter { if case .write = $0 { false } else { true } }
}

/// A machine at its first prompt; in character mode unless `lineMode`.
private func atPrompt(lineMode: Bool = false) -> Machine {
    var machine = Machine(requiresLogin: false)
    _ = machine.start(banner: "test")
    if !lineMode { _ = machine.receive(doEcho) }
    _ = machine.ready(prompt: "noit# ", tree: tree)
    return machine
}

@Suite struct ConsoleSessionMachineTests {
    @Test func startOffersOptionsShowsBannerAndAsksForPrompt() {
        var machine = Machine(requiresLogin: false)
        var parser = TelnetParser()
        let actions = machine.start(banner: "noitd\ntest")
        #expect(actions == [.write(parser.startNegotiation() + Array("noitd\r\ntest\r\n".utf8)), .loggedIn, .refreshPrompt])
        #expect(machine.phase == .busy)
        let r1 = machine.ready(prompt: "noit# ", tree: tree)
        #expect(r1 == [.write(Array("noit# ".utf8))])
        #expect(machine.phase == .editing)
    }

    @Test func lineModeUntilTheClientAcceptsEcho() {
        var machine = atPrompt(lineMode: true)
        #expect(!machine.characterMode)
        // No echo; the line runs at LF; CR is stripped.
        let r2 = machine.receive(Array("sh ver\r\n".utf8))
        #expect(r2 == [.execute("version", arguments: [])])
        var telnet = atPrompt(lineMode: true)
        let r3 = telnet.receive(doEcho + Array("sh".utf8))
        #expect(r3 == [.write(Array("sh".utf8))])
        #expect(telnet.characterMode)
        // Refusing later falls back to line mode.
        _ = telnet.receive([Telnet.iac, Telnet.dont, Telnet.Option.echo])
        #expect(!telnet.characterMode)
    }

    @Test func typeaheadWaitsAndCRLFIsOneEnter() {
        var machine = atPrompt()
        let actions = machine.receive(Array("show version\r\nshow values\r".utf8))
        #expect(others(actions) == [.execute("version", arguments: [])])
        #expect(written(actions) == "show version\r\n")
        #expect(machine.pending == Array("show values\r".utf8))
        // The LF of a CR LF split across reads is still not a second Enter.
        _ = machine.receive([0x0A])
        let next = machine.ready(prompt: "noit# ", tree: tree)
        #expect(written(next) == "noit# show values\r\n")
        #expect(others(next) == [.execute("values", arguments: [])])
        #expect(machine.pending.isEmpty)
    }

    @Test func invalidInputPointsAtTheWord() {
        var machine = atPrompt()
        let actions = machine.receive(Array("show bogus\r".utf8))
        #expect(written(actions) == "show bogus\r\n" + String(repeating: " ", count: 11) + "^\r\n% Invalid input detected at '^' marker.\r\nnoit# ")
        // Line mode repeats the line above the caret: the client's own echo is not ours to know.
        var line = atPrompt(lineMode: true)
        let r4 = line.receive(Array("show bogus\n".utf8))
        #expect(written(r4)
            == "noit# show bogus\r\n           ^\r\n% Invalid input detected at '^' marker.\r\nnoit# ")
        // Control characters cannot reach the terminal.
        let r5 = line.receive(Array("x\u{1B}[2J\n".utf8))
        #expect(written(r5).hasPrefix("noit# x?[2J\r\n"))
    }

    @Test func ambiguousAndIncomplete() {
        var machine = atPrompt()
        let r6 = machine.receive(Array("s\r".utf8))
        #expect(written(r6) == "s\r\n% Ambiguous command: \"s\"\r\n  show      shutdown\r\nnoit# ")
        let r7 = machine.receive(Array("configure\r".utf8))
        #expect(written(r7) == "configure\r\n% Incomplete command.\r\nnoit# ")
        let r8 = machine.receive(Array("\r".utf8))
        #expect(written(r8) == "\r\nnoit# ")
    }

    @Test func questionMarkListsHelpAndRedraws() {
        var machine = atPrompt()
        let actions = machine.receive(Array("show ?".utf8))
        #expect(written(actions) == "show ?\r\n  check    One check\r\n  values   Values\r\n  version  Version\r\n\rnoit# show \(ESC)[K")
        let r9 = machine.receive(Array("zz ?".utf8))
        #expect(r9.count == 1)  // echo, then "% Unrecognized command"
        var line = atPrompt(lineMode: true)
        let r10 = line.receive(Array("sh?\n".utf8))
        #expect(written(r10) == "  show      Show things\r\n  shutdown  Stop the node\r\nnoit# ")
    }

    @Test func tabCompletes() {
        var machine = atPrompt()
        let r11 = machine.receive(Array("conf\t".utf8))
        #expect(written(r11) == "conf\(ESC)[4Dconfigure \(ESC)[K")
        var partial = atPrompt()
        let r12 = partial.receive(Array("sh\t".utf8))
        #expect(written(r12) == "sh\r\n  show      shutdown\r\n\rnoit# sh\(ESC)[K")
        var none = atPrompt()
        let r13 = none.receive(Array("zz\t".utf8))
        #expect(written(r13) == "zz\u{07}")
    }

    @Test func controlKeys() {
        var machine = atPrompt()
        let r14 = machine.receive(Array("abc\u{03}".utf8))
        #expect(written(r14) == "abc^C\r\nnoit# ")
        let r15 = machine.receive([Telnet.iac, Telnet.ip])
        #expect(r15 == [.write(Array("^C\r\nnoit# ".utf8))])
        let r16 = machine.receive(Array("show\u{1A}".utf8))
        #expect(others(r16) == [.returnToExec])
        #expect(machine.phase == .busy)
        _ = machine.ready(prompt: "noit# ", tree: tree)
        let r17 = machine.receive([0x04])
        #expect(others(r17) == [.close])
        #expect(machine.isClosed)
        let r18 = machine.receive(Array("show version\r".utf8))
        #expect(r18.isEmpty)
    }

    @Test func windowSizeFromNAWS() {
        var machine = atPrompt()
        _ = machine.receive([Telnet.iac, Telnet.sb, Telnet.Option.naws, 0, 120, 0, 40, Telnet.iac, Telnet.se])
        #expect(machine.width == 120)
        #expect(machine.height == 40)
    }

    @Test func keysForCommands() {
        var machine = atPrompt()
        _ = machine.receive(Array("show values\r".utf8))
        let r19 = machine.wantKey()
        #expect(r19 == .wait)
        let r20 = machine.receive(Array("q".utf8))
        #expect(r20 == [.key(UInt8(ascii: "q"))])
        // Typed ahead: the first key serves the next wait, the rest stays for the editor.
        _ = machine.receive(Array("\(ESC)[Ax".utf8))
        let r21 = machine.wantKey()
        #expect(r21 == .key(0x1B))
        #expect(machine.pending == Array("x".utf8))
        // Line mode: the first byte of a line is the key; the rest of that line is dropped.
        var line = atPrompt(lineMode: true)
        _ = line.receive(Array("show values\n".utf8))
        let r22 = line.wantKey()
        #expect(r22 == .wait)
        let r23 = line.receive(Array("q".utf8))
        #expect(r23 == [.key(UInt8(ascii: "q"))])
        _ = line.receive(Array("uit\nshow version\n".utf8))
        #expect(line.pending == Array("show version\n".utf8))
    }

    @Test func loginThreeStrikes() {
        var machine = Machine(requiresLogin: true)
        let r24 = machine.start(banner: "")
        #expect(written(r24).hasSuffix("Password: "))
        var actions = machine.receive(Array("one\r\n".utf8))
        #expect(actions == [.verifyPassword("one")])  // Nothing echoed.
        actions = machine.passwordChecked(false)
        #expect(written(actions) == "% Login invalid\r\n\r\nPassword: ")
        _ = machine.receive(Array("two\n".utf8))
        _ = machine.passwordChecked(false)
        _ = machine.receive(doEcho + Array("thr\u{7F}ee\r".utf8))
        #expect(machine.phase == .verifying(failures: 2))
        actions = machine.passwordChecked(false)
        #expect(written(actions) == "% Bad passwords\r\n")
        #expect(others(actions) == [.close])
    }

    @Test func loginSuccessKeepsTypeahead() {
        var machine = Machine(requiresLogin: true)
        _ = machine.start(banner: "")
        let r25 = machine.receive(Array("secret\nshow version\n".utf8))
        #expect(r25 == [.verifyPassword("secret")])
        let r26 = machine.passwordChecked(true)
        #expect(r26 == [.loggedIn, .refreshPrompt])
        let actions = machine.ready(prompt: "noit# ", tree: tree)
        #expect(actions == [.write(Array("noit# ".utf8)), .execute("version", arguments: [])])
    }

    @Test func overlongLineInLineMode() {
        var machine = atPrompt(lineMode: true)
        let megabyte = [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20)
        let r27 = machine.receive(megabyte)
        #expect(r27 == [.write(Array("% Line too long\r\n".utf8))])
        let r28 = machine.receive(megabyte)
        #expect(r28.isEmpty)
        let actions = machine.receive(Array("aaa\nshow version\n".utf8))
        #expect(actions == [.execute("version", arguments: [])])
    }

    @Test func pendingInputIsBounded() {
        var machine = atPrompt()
        _ = machine.receive(Array("show values\r".utf8))
        for _ in 0..<8 { _ = machine.receive([UInt8](repeating: 0x61, count: 1 << 17)) }
        #expect(machine.pending.count == Machine.pendingHardLimit)
    }

    @Test func endOfInputRunsWhatWasSentThenCloses() {
        var machine = atPrompt(lineMode: true)
        _ = machine.receive(Array("show version\nshow values\n".utf8))
        let r29 = machine.endOfInput()
        #expect(r29.isEmpty)
        let r30 = machine.ready(prompt: "noit# ", tree: tree)
        #expect(others(r30) == [.execute("values", arguments: [])])
        let r31 = machine.ready(prompt: "noit# ", tree: tree)
        #expect(others(r31) == [.close])
    }

    @Test func closeWithMessage() {
        var machine = atPrompt()
        let r32 = machine.close(message: "% Idle timeout")
        #expect(r32 == [.write(Array("\r\n% Idle timeout\r\n".utf8)), .close])
        let r33 = machine.close(message: "again")
        #expect(r33.isEmpty)
        let r34 = machine.wantKey()
        #expect(r34 == .closed)
    }
}
