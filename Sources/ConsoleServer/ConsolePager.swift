/// Pure "--More--" paging of one command's output: how much text fits before the next pause.
///
/// Rows are counted on the terminal: a CR LF (or LF) ends one, and a line longer than
/// `width` wraps into several. After `pageLength` rows the caller shows `--More--` and
/// asks `more(_:)` what the key means. Text is expected with CR LF line ends already
/// (Swift reads "\r\n" as one `Character`).
struct ConsolePager: Sendable {
    /// Rows per page; 0 turns paging off.
    let pageLength: Int
    let width: Int
    private var rowsLeft: Int
    private var column = 0

    init(pageLength: Int, width: Int) {
        self.pageLength = max(0, pageLength)
        self.width = max(1, width)
        self.rowsLeft = self.pageLength
    }

    /// Splits `text` into what may be written now and, when the page is full before the
    /// text ends, the rest to write after `--More--`.
    mutating func take(_ text: Substring) -> (now: Substring, rest: Substring?) {
        guard pageLength > 0 else { return (text, nil) }
        var index = text.startIndex
        while index < text.endIndex {
            if rowsLeft == 0 { return (text[..<index], text[index...]) }
            let character = text[index]
            switch character {
            case "\r\n", "\n":
                rowsLeft -= 1
                column = 0
            case "\r":
                column = 0
            default:
                if column == width {
                    // The row is full: this character wraps onto a new one.
                    rowsLeft -= 1
                    column = 0
                    if rowsLeft == 0 { return (text[..<index], text[index...]) }
                }
                column += 1
            }
            index = text.index(after: index)
        }
        return (text, nil)
    }

    /// The user's answer to `--More--`: space shows another page, Enter one more row, any
    /// other key (`q`, Ctrl-C, …) stops the output, as on routers. Returns false to stop.
    mutating func more(_ key: UInt8) -> Bool {
        switch key {
        case UInt8(ascii: " "):
            rowsLeft = pageLength
            return true
        case 0x0D, 0x0A:
            rowsLeft = 1
            return true
        default:
            return false
        }
    }
}
