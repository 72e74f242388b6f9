/// What `LineEditor.receive(_:)` asks the session to do. Adjacent `.output`s are merged.
public enum LineEditorAction: Sendable, Equatable {
    /// Bytes to write to the terminal: echo, VT100 redraw, or a bell (0x07).
    case output([UInt8])
    /// Enter was pressed; the editor has already echoed CR LF and cleared its line.
    case line(String)
    /// Tab: complete `prefix` (the text before the cursor), then call `replaceLine(with:)`
    /// or `replaceBeforeCursor(with:)`. Hazard: `receive` goes on with the bytes after the
    /// Tab in the same call, so a caller that answers later must feed the bytes after a Tab
    /// in a separate call, after answering.
    case complete(prefix: String)
    /// `?` typed (not inserted): list what may follow `prefix` (the text before the cursor),
    /// then call `redraw(prompt:)` to restore the line being edited. Same hazard as `complete`.
    case help(prefix: String)
    /// Ctrl-C: the line was discarded (`^C` CR LF echoed); print a fresh prompt.
    case cancelled
    /// Ctrl-D on an empty line: the user wants to leave.
    case endOfInput
    /// Ctrl-Z: return to the top-level mode (the line was discarded, `^Z` CR LF echoed).
    case end
    /// Line mode only: the line crossed `LineEditor.maxLineBytes`. Sent once per line, when
    /// the cap is crossed; the rest of the line up to its LF is dropped and no `.line` follows.
    case lineTooLong
}
