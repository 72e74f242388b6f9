import Testing

@testable import Console

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
private let ESC: UInt8 = 0x1B

private func lines(_ actions: [LineEditorAction]) -> [String] {
    actions.compactMap { if case .line(let text) = $0 { text } else { nil } }
}

private func output(_ actions: [LineEditorAction]) -> [UInt8] {
    actions.flatMap { action -> [UInt8] in if case .output(let b) = action { b } else { [] } }
}

/// Feed a sequence of key chunks, return the editor.
private func editor(after keys: [UInt8]...) -> LineEditor {
    var editor = LineEditor()
    for key in keys { _ = editor.receive(key) }
    return editor
}

@Suite struct LineEditorTests {
    @Test func typingEchoesAndEnterCompletesLine() {
        var editor = LineEditor()
        #expect(editor.receive(bytes("sh")) == [.output(bytes("sh"))])
        #expect(editor.receive([0x0D]) == [.output([0x0D, 0x0A]), .line("sh")])
        #expect(editor.currentLine == "")
    }

    @Test func insertMidLineRedrawsTail() {
        var editor = LineEditor()
        _ = editor.receive(bytes("shw"))
        _ = editor.receive([0x02])  // Ctrl-B
        #expect(editor.receive(bytes("o")) == [.output(bytes("ow\u{1B}[1D"))])
        #expect(editor.currentLine == "show")
        #expect(editor.cursorPosition == 3)
        #expect(lines(editor.receive([0x0D])) == ["show"])
    }

    @Test func everyEndOfLineFormIsOneEnter() {
        for eol: [UInt8] in [[0x0D], [0x0A], [0x0D, 0x0A], [0x0D, 0x00]] {
            var editor = LineEditor()
            #expect(lines(editor.receive(bytes("a") + eol + bytes("b") + eol)) == ["a", "b"])
            // Split between CR and LF/NUL across feeds: still one Enter.
            var split = LineEditor()
            var got = lines(split.receive(bytes("x") + eol.prefix(1)))
            got += lines(split.receive(Array(eol.dropFirst()) + bytes("y") + eol))
            #expect(got == ["x", "y"])
        }
        var editor = LineEditor()
        #expect(lines(editor.receive([0x0D, 0x0D, 0x0A, 0x0A])) == ["", "", ""])
    }

    @Test func backspaceBothCodes() {
        for code: UInt8 in [0x7F, 0x08] {
            var editor = editor(after: bytes("abc"))
            #expect(editor.receive([code]) == [.output([0x08, ESC, 0x5B, 0x4B])])
            #expect(editor.currentLine == "ab")
            _ = editor.receive([0x01])
            #expect(editor.receive([code]) == [.output([0x07])])  // At start: bell.
        }
        // Backspace mid-line redraws the tail.
        var editor = editor(after: bytes("abc"), [0x02])
        #expect(editor.receive([0x7F]) == [.output([0x08] + bytes("c\u{1B}[K\u{1B}[1D"))])
        #expect(editor.currentLine == "ac")
    }

    @Test func deleteKeyAndCtrlD() {
        var editor = editor(after: bytes("abc"), [0x01])
        _ = editor.receive([ESC, 0x5B, 0x33, 0x7E])
        #expect(editor.currentLine == "bc")
        #expect(editor.receive([0x04]) == [.output(bytes("c\u{1B}[K\u{1B}[1D"))])
        #expect(editor.currentLine == "c")
        _ = editor.receive([0x05])
        #expect(editor.receive([0x04]) == [.output([0x07])])  // Nothing under cursor.
        _ = editor.receive([0x15])
        #expect(editor.receive([0x04]) == [.endOfInput])
    }

    @Test func cursorMovementKeys() {
        var editor = editor(after: bytes("hello"))
        #expect(editor.receive([0x01]) == [.output(bytes("\u{1B}[5D"))])
        #expect(editor.cursorPosition == 0)
        #expect(editor.receive([0x05]) == [.output(bytes("\u{1B}[5C"))])
        #expect(editor.cursorPosition == 5)
        _ = editor.receive([0x02, 0x02])
        #expect(editor.cursorPosition == 3)
        _ = editor.receive([0x06])
        #expect(editor.cursorPosition == 4)
        _ = editor.receive([ESC, 0x5B, 0x44])  // ESC[D
        _ = editor.receive([ESC, 0x4F, 0x44])  // ESC O D
        #expect(editor.cursorPosition == 2)
        _ = editor.receive([ESC, 0x5B, 0x43, ESC, 0x4F, 0x43])
        #expect(editor.cursorPosition == 4)
        _ = editor.receive([0x06])
        #expect(editor.receive([0x06]) == [.output([0x07])])  // Right at end: bell.
    }

    @Test func killKeys() {
        var k = editor(after: bytes("show checks"), [0x01, 0x06, 0x06])
        #expect(k.receive([0x0B]) == [.output(bytes("\u{1B}[K"))])
        #expect(k.currentLine == "sh")

        var u = editor(after: bytes("show checks"), [0x02, 0x02])
        _ = u.receive([0x15])
        #expect(u.currentLine == "ks")
        #expect(u.cursorPosition == 0)

        var w = editor(after: bytes("show  checks  "))
        _ = w.receive([0x17])
        #expect(w.currentLine == "show  ")
        _ = w.receive([0x17])
        #expect(w.currentLine == "")
        #expect(w.receive([0x17]) == [])
    }

    @Test func ctrlCCtrlZTabAndQuestionMark() {
        var editor = editor(after: bytes("sh ch"))
        #expect(editor.receive([0x09]) == [.complete(prefix: "sh ch")])
        #expect(editor.receive(bytes("?")) == [.help(prefix: "sh ch")])
        #expect(editor.currentLine == "sh ch")  // `?` is not inserted.
        _ = editor.receive([0x02, 0x02])
        #expect(editor.receive([0x09]) == [.complete(prefix: "sh ")])
        #expect(editor.receive([0x03]) == [.output(bytes("^C\r\n")), .cancelled])
        #expect(editor.currentLine == "")
        _ = editor.receive(bytes("conf"))
        #expect(editor.receive([0x1A]) == [.output(bytes("^Z\r\n")), .end])
        #expect(editor.currentLine == "")
        #expect(editor.historyLines.isEmpty)
    }

    @Test func replaceLineAndRedraw() {
        var editor = editor(after: bytes("sh ch"), [0x02])
        #expect(editor.replaceLine(with: "show checks ") == bytes("\u{1B}[4Dshow checks \u{1B}[K"))
        #expect(editor.currentLine == "show checks ")
        #expect(editor.cursorPosition == 12)
        _ = editor.receive([0x01])
        #expect(editor.redraw(prompt: "noit# ") == bytes("\rnoit# show checks \u{1B}[K\u{1B}[12D"))
        #expect(editor.replaceLine(with: String(repeating: "x", count: 10_000)).count < 4200)
        #expect(editor.currentLine.utf8.count == LineEditor.maxLineBytes)
    }

    @Test func historyUpDownAndBounds() {
        var editor = LineEditor(historyLimit: 3)
        #expect(editor.receive([ESC, 0x5B, 0x41]) == [.output([0x07])])  // Empty history.
        for line in ["one", "two", "two", "", "   ", "three", "four"] {
            _ = editor.receive(bytes(line + "\r"))
        }
        #expect(editor.historyLines == ["two", "three", "four"])  // No empties, no dups, capped.
        _ = editor.receive(bytes("dra"))
        _ = editor.receive([ESC, 0x5B, 0x41])
        #expect(editor.currentLine == "four")
        _ = editor.receive([ESC, 0x5B, 0x41, 0x10])  // Up, Ctrl-P
        #expect(editor.currentLine == "two")
        #expect(editor.receive([ESC, 0x5B, 0x41]) == [.output([0x07])])  // Top bound.
        #expect(editor.currentLine == "two")
        _ = editor.receive([ESC, 0x5B, 0x42])
        #expect(editor.currentLine == "three")
        _ = editor.receive([0x0E, ESC, 0x5B, 0x42])  // Ctrl-N, Down: back to the draft.
        #expect(editor.currentLine == "dra")
        #expect(editor.receive([ESC, 0x5B, 0x42]) == [.output([0x07])])  // Bottom bound.
        _ = editor.receive([ESC, 0x5B, 0x41])
        #expect(lines(editor.receive([0x0D])) == ["four"])
        #expect(editor.historyLines == ["two", "three", "four"])

        var big = LineEditor()
        for i in 0..<250 { _ = big.receive(bytes("cmd \(i)\n")) }
        #expect(big.historyLines.count == LineEditor.defaultHistoryLimit)
        #expect(big.historyLines.last == "cmd 249")
    }

    @Test func escapeSequencesSplitAtEveryByte() {
        let sequences: [[UInt8]] = [[ESC, 0x5B, 0x44], [ESC, 0x4F, 0x44], [ESC, 0x5B, 0x33, 0x7E]]
        for sequence in sequences {
            for cut in 0...sequence.count {
                var editor = editor(after: bytes("ab"))
                _ = editor.receive(Array(sequence[..<cut]))
                _ = editor.receive(Array(sequence[cut...]))
                _ = editor.receive(bytes("X"))
                #expect(editor.currentLine == (sequence.count == 4 ? "abX" : "aXb"))
            }
        }
        // Unknown and overlong sequences are swallowed, not inserted.
        var editor = LineEditor()
        _ = editor.receive([ESC, 0x5B, 0x31, 0x35, 0x7E, ESC, 0x78] + bytes("ok"))
        _ = editor.receive([ESC, 0x5B] + [UInt8](repeating: 0x31, count: 100) + bytes("z"))
        #expect(editor.currentLine.hasPrefix("ok"))
        #expect(!editor.currentLine.contains("\u{1B}"))
    }

    @Test func utf8AndInvalidBytes() {
        var editor = LineEditor()
        let e = Array("é".utf8), euro = Array("€".utf8)
        _ = editor.receive([e[0]])
        _ = editor.receive([e[1]] + euro.prefix(2))
        _ = editor.receive(Array(euro.dropFirst(2)))
        #expect(editor.currentLine == "é€")
        #expect(editor.cursorPosition == 2)
        // Lone continuation, invalid lead, truncated sequence, overlong, surrogate: dropped.
        _ = editor.receive([0x80, 0xFF, 0xC3, 0x41, 0xC0, 0xAF, 0xED, 0xA0, 0x80, 0xF5, 0x42])
        #expect(editor.currentLine == "é€AB")
        var random = LineEditor()
        var seed: UInt32 = 12345
        var noise: [UInt8] = []
        for _ in 0..<20_000 {
            seed = seed &* 1_103_515_245 &+ 12345
            noise.append(UInt8(truncatingIfNeeded: seed >> 16))
        }
        for chunk in stride(from: 0, to: noise.count, by: 7) {
            _ = random.receive(Array(noise[chunk..<min(chunk + 7, noise.count)]))
        }
        #expect(random.currentLine.utf8.count <= LineEditor.maxLineBytes)
    }

    @Test func megabyteWithoutNewlineStaysBounded() {
        var editor = LineEditor()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 64 * 1024)
        var bells = 0
        var echoed = 0
        for _ in 0..<16 {
            let out = output(editor.receive(chunk))
            bells += out.filter { $0 == 0x07 }.count
            echoed += out.filter { $0 == UInt8(ascii: "a") }.count
        }
        #expect(editor.currentLine.utf8.count == LineEditor.maxLineBytes)
        #expect(echoed == LineEditor.maxLineBytes)
        #expect(bells == 16)  // At most one bell per batch.
        let done = lines(editor.receive([0x0A]))
        #expect(done.first?.count == LineEditor.maxLineBytes)
    }

    @Test func lineModeSplitsOnLFWithoutEcho() {
        var editor = LineEditor(lineMode: true)
        #expect(editor.receive(bytes("show ver")) == [])
        #expect(editor.receive(bytes("sion\r\nexit\n\t?x\r\0\n")) == [.line("show version"), .line("exit"), .line("\t?x")])
        var long = LineEditor(lineMode: true)
        // Over the cap: reported once, the line dropped up to its LF, the next line intact.
        #expect(long.receive([UInt8](repeating: 0x61, count: 1_000_000)) == [.lineTooLong])
        #expect(long.receive([UInt8](repeating: 0x61, count: 10_000)) == [])
        #expect(long.receive(bytes("aaa\nok\n")) == [.line("ok")])
        var exact = LineEditor(lineMode: true)
        let full = String(repeating: "b", count: LineEditor.maxLineBytes)
        #expect(exact.receive(bytes(full + "\n")) == [.line(full)])
        #expect(long.receive([0xFF, 0x0A]) == [.line("\u{FFFD}")])
    }

    @Test func replaceBeforeCursorKeepsTail() {
        var editor = editor(after: bytes("sh ver"), [0x02, 0x02, 0x02, 0x02])  // cursor after "sh"
        #expect(editor.cursorPosition == 2)
        let redraw = editor.replaceBeforeCursor(with: "show")
        #expect(editor.currentLine == "show ver")
        #expect(editor.cursorPosition == 4)
        #expect(redraw == Array("\u{1B}[2Dshow ver\u{1B}[K\u{1B}[4D".utf8))
    }
}
