import Console

/// Pure logic of one console connection: bytes and events in, `ConsoleSessionAction`s out.
/// No I/O, no clocks, no tasks; `ConsoleSession` performs the actions.
///
/// It owns the telnet parser, the line editor, the login, the command tree of the current
/// prompt and the input typed while a command runs.
///
/// Phases: `login` (collecting a password) → `verifying` → `editing` (at a prompt) ⇄ `busy`
/// (a command runs, or the prompt is being refreshed) → `closed`. Input that arrives while
/// `verifying` or `busy` is kept in `pending` (the session stops reading above
/// `maxPendingInput`) and replayed at the next prompt, except keys taken by `wantKey()`.
///
/// Line mode versus character mode: the session is in character mode exactly while the
/// client has accepted our `WILL ECHO` (it answered `DO ECHO`), because only then does it
/// stop echoing locally and send keys one by one. Until then, and forever with a client
/// that never negotiates (`nc`, a script), input is read in line mode: no echo, lines end
/// at LF. A telnet client answers the offer sent on connect before anything its user types
/// (both travel the same ordered stream), so its first keystroke already arrives in
/// character mode; no timer is needed. A client that later refuses (`DONT ECHO`) falls
/// back to line mode.
///
/// End of line: in character mode CR LF and CR NUL are folded to CR before anything else
/// sees them, so a pair split by a command (Enter runs it, the LF arrives later) never turns
/// into a second, empty Enter or a pager key.
struct ConsoleSessionMachine<Action: Sendable>: Sendable {
    enum Phase: Sendable, Equatable {
        case connecting
        case login(failures: Int)
        case verifying(failures: Int)
        case editing
        case busy
        case closed
    }

    /// Answer to `wantKey()`.
    enum KeyWait: Sendable, Equatable {
        case key(UInt8)
        /// Wait: the next key arrives as `.key` from `receive(_:)`.
        case wait
        case closed
    }

    /// Input kept while busy before the session stops reading the socket.
    static var maxPendingInput: Int { 64 * 1024 }
    /// Input kept at all, whatever the session does: beyond it input is dropped.
    static var pendingHardLimit: Int { 4 * maxPendingInput }
    static var maxPasswordBytes: Int { 1024 }
    static var maxPasswordAttempts: Int { 3 }

    private(set) var phase: Phase = .connecting
    private let requiresLogin: Bool
    private var parser = TelnetParser()
    private var editor: LineEditor
    private var tree = CommandTree<Action>()
    private(set) var prompt = ""
    private var password: [UInt8] = []
    private(set) var pending: [UInt8] = []
    private var keyWanted = false
    /// Character mode: the last byte was a CR, so a following LF or NUL is dropped.
    private var afterCR = false
    /// Line mode: a key was taken from the start of a line; the rest of it is dropped.
    private var skipToEndOfLine = false
    /// The client closed its sending side: close once the buffered input has run.
    private var inputEnded = false
    private(set) var width = 80
    private(set) var height = 0
    private(set) var characterMode = false

    init(requiresLogin: Bool, historyLimit: Int = LineEditor.defaultHistoryLimit) {
        self.requiresLogin = requiresLogin
        self.editor = LineEditor(lineMode: true, historyLimit: historyLimit)
    }

    var isClosed: Bool { phase == .closed }

    // MARK: Events

    /// The connection is up: offer the telnet options, show the banner, then ask for the
    /// password or for the first prompt.
    mutating func start(banner: String) -> [ConsoleSessionAction<Action>] {
        guard phase == .connecting else { return [] }
        var out = ConsoleActionBuffer<Action>()
        out.write(parser.startNegotiation())
        if !banner.isEmpty { out.write(ConsoleText.crlf(banner) + "\r\n") }
        if requiresLogin {
            phase = .login(failures: 0)
            out.write("Password: ")
        } else {
            phase = .busy
            out.append(.loggedIn)
            out.append(.refreshPrompt)
        }
        return out.finish()
    }

    /// Bytes from the socket.
    mutating func receive(_ bytes: some Collection<UInt8>) -> [ConsoleSessionAction<Action>] {
        guard phase != .closed, phase != .connecting else { return [] }
        var out = ConsoleActionBuffer<Action>()
        let events = parser.receive(bytes)
        syncMode()
        for event in events {
            switch event {
            case .send(let reply):
                out.write(reply)
            case .windowSize(let width, let height):
                self.width = width > 0 ? width : 80
                self.height = height
            case .data(let data):
                ingest(data, &out)
            case .interrupt:
                ingest([0x03], &out)
            case .eraseCharacter:
                ingest([0x08], &out)
            case .eraseLine:
                ingest([0x15], &out)
            }
        }
        return out.finish()
    }

    /// The client will send nothing more (TCP half-close): run what it sent, then close.
    mutating func endOfInput() -> [ConsoleSessionAction<Action>] {
        inputEnded = true
        var out = ConsoleActionBuffer<Action>()
        switch phase {
        case .editing, .login:
            close(&out)
        case .busy where keyWanted, .verifying where keyWanted:
            // Nobody will ever press the key being waited for.
            close(&out)
        default:
            break
        }
        return out.finish()
    }

    /// After a command, a Ctrl-Z or the login: print `prompt`, use `tree` for the next
    /// lines, then replay the input typed meanwhile.
    mutating func ready(prompt: String, tree: CommandTree<Action>) -> [ConsoleSessionAction<Action>] {
        guard phase == .busy else { return [] }
        self.prompt = prompt
        self.tree = tree
        phase = .editing
        var out = ConsoleActionBuffer<Action>()
        out.write(prompt)
        replayPending(&out)
        if inputEnded, phase == .editing { close(&out) }
        return out.finish()
    }

    /// The answer to `.verifyPassword`.
    mutating func passwordChecked(_ ok: Bool) -> [ConsoleSessionAction<Action>] {
        guard case .verifying(let failures) = phase else { return [] }
        var out = ConsoleActionBuffer<Action>()
        if ok {
            phase = .busy
            out.append(.loggedIn)
            out.append(.refreshPrompt)
        } else if failures + 1 >= Self.maxPasswordAttempts {
            out.write("% Bad passwords\r\n")
            close(&out)
        } else {
            phase = .login(failures: failures + 1)
            out.write("% Login invalid\r\n\r\nPassword: ")
            replayPending(&out)
            if inputEnded, case .login = phase { close(&out) }
        }
        return out.finish()
    }

    /// A command wants one key (`nextKey`, `confirm`, the pager). Typed-ahead input counts.
    mutating func wantKey() -> KeyWait {
        if phase == .closed { return .closed }
        var rest = pending[...]
        if let key = takeKey(from: &rest) {
            pending = Array(rest)
            return .key(key)
        }
        if inputEnded { return .closed }
        keyWanted = true
        return .wait
    }

    /// The key waiter went away (cancelled): keys go back to being buffered.
    mutating func cancelKeyWait() {
        keyWanted = false
    }

    /// Close with a message on a line of its own (idle timeout, node shutdown).
    mutating func close(message: String?) -> [ConsoleSessionAction<Action>] {
        guard phase != .closed else { return [] }
        var out = ConsoleActionBuffer<Action>()
        if let message { out.write("\r\n" + message + "\r\n") }
        close(&out)
        return out.finish()
    }

    // MARK: Input

    private mutating func syncMode() {
        let echo = parser.isLocallyEnabled(Telnet.Option.echo)
        guard echo != characterMode else { return }
        characterMode = echo
        editor.lineMode = !echo
        afterCR = false
        skipToEndOfLine = false
    }

    private mutating func ingest(_ data: [UInt8], _ out: inout ConsoleActionBuffer<Action>) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(data.count)
        for byte in data {
            if characterMode {
                if afterCR {
                    afterCR = false
                    if byte == 0x0A || byte == 0x00 { continue }
                }
                if byte == 0x0D { afterCR = true }
            } else if skipToEndOfLine {
                if byte == 0x0A { skipToEndOfLine = false }
                continue
            }
            bytes.append(byte)
        }
        dispatch(bytes[...], &out)
    }

    private mutating func replayPending(_ out: inout ConsoleActionBuffer<Action>) {
        guard !pending.isEmpty else { return }
        let replay = pending
        pending = []
        dispatch(replay[...], &out)
    }

    private mutating func dispatch(_ bytes: ArraySlice<UInt8>, _ out: inout ConsoleActionBuffer<Action>) {
        var rest = bytes
        while !rest.isEmpty {
            switch phase {
            case .login(let failures):
                rest = collectPassword(rest, failures: failures, &out)
            case .editing:
                rest = edit(rest, &out)
            case .verifying, .busy:
                if keyWanted, let key = takeKey(from: &rest) {
                    keyWanted = false
                    out.append(.key(key))
                    continue
                }
                let room = max(0, Self.pendingHardLimit - pending.count)
                pending += rest.prefix(room)
                rest = []
            case .connecting, .closed:
                rest = []
            }
        }
    }

    /// One key from the front of `rest`. Character mode: one byte, and an escape sequence
    /// (an arrow key) counts as one ESC. Line mode: the first byte of a line, whose rest is
    /// dropped (a user of `nc` types `q` Enter to answer `--More--`).
    private mutating func takeKey(from rest: inout ArraySlice<UInt8>) -> UInt8? {
        guard let key = rest.popFirst() else { return nil }
        if characterMode {
            if key == 0x1B, let introducer = rest.first, introducer == UInt8(ascii: "[") || introducer == UInt8(ascii: "O") {
                rest.removeFirst()
                if introducer == UInt8(ascii: "O") {
                    _ = rest.popFirst()
                } else {
                    while let byte = rest.popFirst(), !(0x40...0x7E).contains(byte) {}
                }
            }
        } else if key != 0x0A {
            if let end = rest.firstIndex(of: 0x0A) {
                rest = rest[rest.index(after: end)...]
            } else {
                rest = []
                skipToEndOfLine = true
            }
        }
        return key
    }

    // MARK: Login

    private mutating func collectPassword(
        _ bytes: ArraySlice<UInt8>, failures: Int, _ out: inout ConsoleActionBuffer<Action>
    ) -> ArraySlice<UInt8> {
        var rest = bytes
        while let byte = rest.popFirst() {
            // Enter: LF always; CR only in character mode (line mode sends CR LF).
            let enter = byte == 0x0A || (byte == 0x0D && characterMode)
            switch byte {
            case _ where enter:
                let text = String(decoding: password, as: UTF8.self)
                password.removeAll()
                // Nothing was echoed, so the client's cursor is still after "Password: ".
                if characterMode { out.write("\r\n") }
                phase = .verifying(failures: failures)
                out.append(.verifyPassword(text))
                return rest
            case 0x0D, 0x00:
                break
            case 0x08, 0x7F:
                _ = password.popLast()
            case 0x03, 0x15:
                password.removeAll()
            case 0x04 where password.isEmpty:
                out.write("\r\n")
                close(&out)
                return []
            default:
                if password.count < Self.maxPasswordBytes { password.append(byte) }
            }
        }
        return rest
    }

    // MARK: Editing

    /// Feed the editor up to each byte that may end the editing phase (Enter, Ctrl-D,
    /// Ctrl-Z), so input after a line that starts a command stays pending; and up to each Tab
    /// and `?`, whose answer (`replaceBeforeCursor`, `redraw`) must reach the editor before
    /// the keys typed after them (`t` Tab Enter pasted at once runs the completed line).
    private mutating func edit(_ bytes: ArraySlice<UInt8>, _ out: inout ConsoleActionBuffer<Action>) -> ArraySlice<UInt8> {
        var rest = bytes
        while !rest.isEmpty, phase == .editing {
            let breakIndex = characterMode
                ? rest.firstIndex { $0 == 0x0D || $0 == 0x0A || $0 == 0x04 || $0 == 0x1A || $0 == 0x09 || $0 == UInt8(ascii: "?") }
                : rest.firstIndex(of: 0x0A)
            let end = breakIndex.map { rest.index(after: $0) } ?? rest.endIndex
            let segment = Array(rest[..<end])
            rest = rest[end...]
            for action in editor.receive(segment) {
                handle(action, &out)
            }
        }
        return rest
    }

    private mutating func handle(_ action: LineEditorAction, _ out: inout ConsoleActionBuffer<Action>) {
        switch action {
        case .output(let bytes):
            out.write(bytes)
        case .line(let line):
            run(line, &out)
        case .complete(let prefix):
            complete(prefix, &out)
        case .help(let prefix):
            // Echo the `?` only at the end of the line: mid-line it would overwrite a character.
            let atEnd = editor.cursorPosition == editor.currentLine.unicodeScalars.count
            out.write((atEnd ? "?" : "") + "\r\n" + helpListing(for: prefix))
            out.write(editor.redraw(prompt: prompt))
        case .cancelled:
            out.write(prompt)
        case .endOfInput:
            out.write("\r\n")
            close(&out)
        case .end:
            phase = .busy
            out.append(.returnToExec)
        case .lineTooLong:
            out.write("% Line too long\r\n")
        }
    }

    private mutating func run(_ line: String, _ out: inout ConsoleActionBuffer<Action>) {
        // Line mode cannot send a lone `?`: a line ending in one asks for help instead.
        if !characterMode, line.last(where: { $0 != " " && $0 != "\t" }) == "?" {
            let prefix = String(line[..<line.lastIndex(of: "?")!])
            out.write(helpListing(for: prefix) + prompt)
            return
        }
        switch tree.resolve(line) {
        case .empty:
            out.write(prompt)
        case .command(let action, let arguments):
            phase = .busy
            out.append(.execute(action, arguments: arguments))
        case .ambiguous(let word, let candidates, _):
            out.write("% Ambiguous command: \"\(ConsoleText.printable(word))\"\r\n")
            out.write(ConsoleText.columns(candidates, width: width) + prompt)
        case .invalid(let position):
            out.write(invalidInput(line, position: position) + prompt)
        case .incomplete:
            out.write("% Incomplete command.\r\n" + prompt)
        }
    }

    /// The caret goes under the bad word. In character mode the line is on screen after
    /// the prompt already; in line mode the client echoed it (if at all) where we cannot
    /// know, so the prompt and line are written again above the caret.
    private func invalidInput(_ line: String, position: Int) -> String {
        let shown = ConsoleText.printable(line)
        var text = characterMode ? "" : prompt + shown + "\r\n"
        text += String(repeating: " ", count: prompt.count) + CommandTree<Action>.caretLine(for: shown, position: position)
        text += "\r\n% Invalid input detected at '^' marker.\r\n"
        return text
    }

    private func helpListing(for prefix: String) -> String {
        let entries = tree.help(for: prefix)
        if entries.isEmpty {
            switch tree.resolve(prefix) {
            case .ambiguous(let word, _, _):
                return "% Ambiguous command: \"\(ConsoleText.printable(word))\"\r\n"
            default:
                return "% Unrecognized command\r\n"
            }
        }
        return ConsoleText.helpTable(entries)
    }

    private mutating func complete(_ prefix: String, _ out: inout ConsoleActionBuffer<Action>) {
        switch tree.complete(prefix) {
        case .noMatch:
            out.write([0x07])
        case .completed(let line):
            out.write(editor.replaceBeforeCursor(with: line))
        case .partial(let line, let candidates):
            if line != prefix { out.write(editor.replaceBeforeCursor(with: line)) }
            out.write("\r\n" + ConsoleText.columns(candidates, width: width))
            out.write(editor.redraw(prompt: prompt))
        }
    }

    private mutating func close(_ out: inout ConsoleActionBuffer<Action>) {
        phase = .closed
        keyWanted = false
        pending = []
        password.removeAll()
        out.append(.close)
    }
}
