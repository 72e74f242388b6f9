/// Pure character-mode line editor with a cursor, emacs keys and history.
///
/// Bytes in (already stripped of telnet commands), `LineEditorAction`s out. Redraw uses
/// only backspace, `ESC[K`, `ESC[nD` and `ESC[nC`, which every VT100-ish terminal knows.
///
/// Contracts and hazards:
/// - Enter is CR, LF, CR LF or CR NUL; a CR followed by LF or NUL is ONE Enter, even when
///   the pair is split across `receive` calls.
/// - Escape sequences may be split across calls; unknown ones are swallowed.
/// - Input is decoded as UTF-8; invalid sequences are dropped. The cursor arithmetic
///   assumes one terminal column per Unicode scalar, so wide or combining characters
///   may misdraw (the line content stays correct).
/// - The line is capped at `maxLineBytes` UTF-8 bytes; input beyond it rings the bell and is
///   dropped, so memory stays bounded whatever the client sends.
/// - In `lineMode` (a client that never negotiated, e.g. `nc`) there is no echo and no
///   editing: bytes are split into lines on LF, CR and NUL are stripped. A line longer than
///   `maxLineBytes` is not run truncated (a cut command could mean something else): the
///   editor reports `.lineTooLong` once, when the cap is crossed, and drops the rest of that
///   line up to its LF.
public struct LineEditor: Sendable {
    public static let maxLineBytes = 4096
    public static let defaultHistoryLimit = 100

    /// Longest CSI parameter string kept; longer sequences are garbage and abandoned.
    private static let maxEscapeParameters = 16

    private enum EscapeState: Sendable, Equatable {
        case none
        case escape
        case csi([UInt8])
        case ss3
    }

    /// No echo, no editing: for clients that do not negotiate telnet options.
    public var lineMode: Bool

    private var line: [Unicode.Scalar] = []
    private var lineBytes = 0
    private var cursor = 0
    private var escape: EscapeState = .none
    /// The previous byte was a CR, so a following LF or NUL belongs to the same Enter.
    private var afterCR = false
    /// Bytes of an incomplete UTF-8 sequence (at most 3 kept).
    private var utf8Pending: [UInt8] = []
    private var utf8Expected = 0
    /// Line mode: raw bytes of the current line; `rawOverflow` drops the rest of a long line.
    private var raw: [UInt8] = []
    private var rawOverflow = false

    private var history: [String] = []
    private let historyLimit: Int
    /// Index into `history` while browsing with Up/Down; nil when editing a fresh line.
    private var historyIndex: Int?
    /// The fresh line, kept while browsing history so Down can bring it back.
    private var draft: [Unicode.Scalar] = []

    public init(lineMode: Bool = false, historyLimit: Int = LineEditor.defaultHistoryLimit) {
        self.lineMode = lineMode
        self.historyLimit = max(0, historyLimit)
    }

    /// The line being edited.
    public var currentLine: String { String(String.UnicodeScalarView(line)) }
    /// Cursor position in Unicode scalars from the start of the line.
    public var cursorPosition: Int { cursor }
    /// Stored history, oldest first.
    public var historyLines: [String] { history }

    // MARK: Events

    public mutating func receive(_ bytes: [UInt8]) -> [LineEditorAction] {
        var out = LineEditorOutput()
        for byte in bytes {
            if lineMode {
                lineModeByte(byte, &out)
            } else {
                characterModeByte(byte, &out)
            }
        }
        return out.finish()
    }

    /// Replace the whole line (e.g. with a Tab completion) and leave the cursor at its end.
    /// Returns the bytes that redraw it in place. Text beyond `maxLineBytes` is cut.
    public mutating func replaceLine(with text: String) -> [UInt8] {
        var bytes = moveLeft(cursor)
        setLine(Array(text.unicodeScalars))
        bytes += encode(line[...])
        bytes += Self.clearToEnd
        cursor = line.count
        return bytes
    }

    /// Replace the text before the cursor (e.g. with a Tab completion of it), keeping the
    /// text after the cursor and the cursor just after the replacement. Returns the redraw
    /// bytes. Text beyond `maxLineBytes` is cut.
    public mutating func replaceBeforeCursor(with text: String) -> [UInt8] {
        let tail = Array(line[cursor...])
        var bytes = moveLeft(cursor)
        setLine(Array(text.unicodeScalars))
        let head = line.count
        setLine(line + tail)
        cursor = min(head, line.count)
        bytes += encode(line[...])
        bytes += Self.clearToEnd
        bytes += moveLeft(line.count - cursor)
        return bytes
    }

    /// The prompt and the line, with the cursor put back where it was. Starts with CR and
    /// clears to end of line, so it can be written over a half-drawn line.
    public func redraw(prompt: String) -> [UInt8] {
        var bytes: [UInt8] = [0x0D] + Array(prompt.utf8)
        bytes += encode(line[...])
        bytes += Self.clearToEnd
        bytes += moveLeft(line.count - cursor)
        return bytes
    }

    // MARK: Line mode

    private mutating func lineModeByte(_ byte: UInt8, _ out: inout LineEditorOutput) {
        switch byte {
        case 0x0A:
            if rawOverflow {
                rawOverflow = false
            } else {
                out.action(.line(String(decoding: raw, as: UTF8.self)))
            }
            raw.removeAll(keepingCapacity: true)
        case 0x0D, 0x00:
            break
        default:
            if rawOverflow { return }
            if raw.count < Self.maxLineBytes {
                raw.append(byte)
            } else {
                // There is no echo to ring a bell on: say it once, then drop up to the LF.
                rawOverflow = true
                raw.removeAll()
                out.action(.lineTooLong)
            }
        }
    }

    // MARK: Character mode

    private mutating func characterModeByte(_ byte: UInt8, _ out: inout LineEditorOutput) {
        let wasCR = afterCR
        afterCR = false
        if wasCR, byte == 0x0A || byte == 0x00 { return }

        switch escape {
        case .none:
            break
        case .escape:
            switch byte {
            case UInt8(ascii: "["): escape = .csi([])
            case UInt8(ascii: "O"): escape = .ss3
            default: escape = .none  // Meta-key or stray ESC: ignore both bytes.
            }
            return
        case .csi(var parameters):
            if (0x40...0x7E).contains(byte) {
                escape = .none
                csi(final: byte, parameters: parameters, &out)
            } else if parameters.count < Self.maxEscapeParameters {
                parameters.append(byte)
                escape = .csi(parameters)
            } else {
                escape = .none
            }
            return
        case .ss3:
            escape = .none
            arrow(byte, &out)
            return
        }

        if utf8Expected > 0 {
            continueUTF8(byte, &out)
            return
        }

        switch byte {
        case 0x0D:
            afterCR = true
            enter(&out)
        case 0x0A: enter(&out)
        case 0x1B: escape = .escape
        case 0x01: out.output(moveToStart())
        case 0x05: out.output(moveToEnd())
        case 0x02: out.output(left())
        case 0x06: out.output(right())
        case 0x03:
            out.output(Array("^C\r\n".utf8))
            clearLine()
            out.action(.cancelled)
        case 0x04:
            if line.isEmpty {
                out.action(.endOfInput)
            } else {
                out.output(deleteUnderCursor())
            }
        case 0x1A:
            out.output(Array("^Z\r\n".utf8))
            clearLine()
            out.action(.end)
        case 0x08, 0x7F: out.output(backspace())
        case 0x09: out.action(.complete(prefix: textBeforeCursor))
        case 0x0B: out.output(killToEnd())
        case 0x15: out.output(killToStart())
        case 0x17: out.output(killWord())
        case 0x10: out.output(historyUp())
        case 0x0E: out.output(historyDown())
        case UInt8(ascii: "?"): out.action(.help(prefix: textBeforeCursor))
        case 0x20..<0x7F: insert(Unicode.Scalar(byte), &out)
        case 0xC2...0xDF: startUTF8(byte, expected: 1)
        case 0xE0...0xEF: startUTF8(byte, expected: 2)
        case 0xF0...0xF4: startUTF8(byte, expected: 3)
        default:
            // Other control characters and invalid UTF-8 lead bytes: dropped.
            break
        }
    }

    private mutating func startUTF8(_ byte: UInt8, expected: Int) {
        utf8Pending = [byte]
        utf8Expected = expected
    }

    private mutating func continueUTF8(_ byte: UInt8, _ out: inout LineEditorOutput) {
        guard byte & 0xC0 == 0x80 else {
            // Truncated sequence: drop it and treat this byte afresh.
            utf8Pending.removeAll()
            utf8Expected = 0
            characterModeByte(byte, &out)
            return
        }
        utf8Pending.append(byte)
        utf8Expected -= 1
        guard utf8Expected == 0 else { return }
        // Validation rejects overlong forms and surrogates the lead-byte table let through.
        if let text = String(validating: utf8Pending, as: UTF8.self), let scalar = text.unicodeScalars.first {
            insert(scalar, &out)
        }
        utf8Pending.removeAll()
    }

    private mutating func csi(final: UInt8, parameters: [UInt8], _ out: inout LineEditorOutput) {
        switch (final, parameters) {
        case (UInt8(ascii: "~"), [UInt8(ascii: "3")]):
            out.output(deleteUnderCursor())
        case (UInt8(ascii: "~"), [UInt8(ascii: "1")]), (UInt8(ascii: "~"), [UInt8(ascii: "7")]):
            out.output(moveToStart())
        case (UInt8(ascii: "~"), [UInt8(ascii: "4")]), (UInt8(ascii: "~"), [UInt8(ascii: "8")]):
            out.output(moveToEnd())
        case (_, []):
            arrow(final, &out)
        default:
            break  // Function keys, mouse reports, …: ignored.
        }
    }

    private mutating func arrow(_ byte: UInt8, _ out: inout LineEditorOutput) {
        switch byte {
        case UInt8(ascii: "A"): out.output(historyUp())
        case UInt8(ascii: "B"): out.output(historyDown())
        case UInt8(ascii: "C"): out.output(right())
        case UInt8(ascii: "D"): out.output(left())
        case UInt8(ascii: "H"): out.output(moveToStart())
        case UInt8(ascii: "F"): out.output(moveToEnd())
        default: break
        }
    }

    // MARK: Editing operations (each returns the bytes that redraw the change)

    private static let bell: [UInt8] = [0x07]
    private static let clearToEnd: [UInt8] = [0x1B, 0x5B, 0x4B]

    private var textBeforeCursor: String {
        String(String.UnicodeScalarView(line[..<cursor]))
    }

    private mutating func enter(_ out: inout LineEditorOutput) {
        let text = currentLine
        out.output([0x0D, 0x0A])
        addHistory(text)
        clearLine()
        out.action(.line(text))
    }

    private mutating func insert(_ scalar: Unicode.Scalar, _ out: inout LineEditorOutput) {
        let size = UTF8.width(scalar)
        guard lineBytes + size <= Self.maxLineBytes else {
            out.bellOnce()
            return
        }
        line.insert(scalar, at: cursor)
        lineBytes += size
        cursor += 1
        // Echo the new character and the tail it pushed right, then walk back to the cursor.
        out.output(encode(line[(cursor - 1)...]) + moveLeft(line.count - cursor))
    }

    private mutating func backspace() -> [UInt8] {
        guard cursor > 0 else { return Self.bell }
        cursor -= 1
        lineBytes -= UTF8.width(line.remove(at: cursor))
        return [0x08] + redrawTail()
    }

    private mutating func deleteUnderCursor() -> [UInt8] {
        guard cursor < line.count else { return Self.bell }
        lineBytes -= UTF8.width(line.remove(at: cursor))
        return redrawTail()
    }

    private mutating func killToEnd() -> [UInt8] {
        for scalar in line[cursor...] { lineBytes -= UTF8.width(scalar) }
        line.removeSubrange(cursor...)
        return Self.clearToEnd
    }

    private mutating func killToStart() -> [UInt8] {
        removeBeforeCursor(count: cursor)
    }

    private mutating func killWord() -> [UInt8] {
        var start = cursor
        while start > 0, line[start - 1] == " " { start -= 1 }
        while start > 0, line[start - 1] != " " { start -= 1 }
        return removeBeforeCursor(count: cursor - start)
    }

    private mutating func removeBeforeCursor(count: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        let bytes = moveLeft(count)
        for scalar in line[(cursor - count)..<cursor] { lineBytes -= UTF8.width(scalar) }
        line.removeSubrange((cursor - count)..<cursor)
        cursor -= count
        return bytes + redrawTail()
    }

    /// Rewrite from the cursor to the end, clear leftovers, return the cursor.
    private func redrawTail() -> [UInt8] {
        encode(line[cursor...]) + Self.clearToEnd + moveLeft(line.count - cursor)
    }

    private mutating func left() -> [UInt8] {
        guard cursor > 0 else { return Self.bell }
        cursor -= 1
        return moveLeft(1)
    }

    private mutating func right() -> [UInt8] {
        guard cursor < line.count else { return Self.bell }
        cursor += 1
        return moveRight(1)
    }

    private mutating func moveToStart() -> [UInt8] {
        defer { cursor = 0 }
        return moveLeft(cursor)
    }

    private mutating func moveToEnd() -> [UInt8] {
        defer { cursor = line.count }
        return moveRight(line.count - cursor)
    }

    // MARK: History

    private mutating func addHistory(_ text: String) {
        historyIndex = nil
        draft = []
        guard historyLimit > 0, !text.allSatisfy(\.isWhitespace), history.last != text else { return }
        history.append(text)
        if history.count > historyLimit { history.removeFirst(history.count - historyLimit) }
    }

    private mutating func historyUp() -> [UInt8] {
        let index: Int
        switch historyIndex {
        case nil:
            guard !history.isEmpty else { return Self.bell }
            draft = line
            index = history.count - 1
        case let current?:
            guard current > 0 else { return Self.bell }
            index = current - 1
        }
        historyIndex = index
        return replaceLine(with: history[index])
    }

    private mutating func historyDown() -> [UInt8] {
        guard let current = historyIndex else { return Self.bell }
        if current + 1 < history.count {
            historyIndex = current + 1
            return replaceLine(with: history[current + 1])
        }
        historyIndex = nil
        let restored = draft
        draft = []
        return replaceLine(with: String(String.UnicodeScalarView(restored)))
    }

    // MARK: Helpers

    private mutating func clearLine() {
        line.removeAll(keepingCapacity: true)
        lineBytes = 0
        cursor = 0
        historyIndex = nil
        draft = []
    }

    private mutating func setLine(_ scalars: [Unicode.Scalar]) {
        line = []
        lineBytes = 0
        for scalar in scalars {
            let size = UTF8.width(scalar)
            guard lineBytes + size <= Self.maxLineBytes else { break }
            line.append(scalar)
            lineBytes += size
        }
        cursor = min(cursor, line.count)
    }

    private func encode(_ scalars: ArraySlice<Unicode.Scalar>) -> [UInt8] {
        var bytes: [UInt8] = []
        for scalar in scalars { bytes += UTF8.encode(scalar)! }
        return bytes
    }

    private func moveLeft(_ count: Int) -> [UInt8] {
        count <= 0 ? [] : Array("\u{1B}[\(count)D".utf8)
    }

    private func moveRight(_ count: Int) -> [UInt8] {
        count <= 0 ? [] : Array("\u{1B}[\(count)C".utf8)
    }
}
