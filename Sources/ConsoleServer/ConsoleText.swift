/// Text layout for the terminal: line ends, control characters, columns.
enum ConsoleText {
    /// Shown when a page is full; erased with `eraseMore` once a key is pressed.
    static let more = "--More--"
    static let eraseMore = "\r        \r"

    /// Terminals need CR LF; commands write "\n". An existing "\r\n" stays as it is.
    static func crlf(_ text: String) -> String {
        guard text.contains("\n") else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 16)
        for character in text {
            if character == "\n" { result += "\r\n" } else { result.append(character) }
        }
        return result
    }

    /// Control characters (but tab) shown as `?`, one for one, so echoing a client's garbage
    /// cannot drive the terminal and carets stay aligned.
    static func printable(_ text: String) -> String {
        String(text.map { character -> Character in
            guard character != "\t", let scalar = character.unicodeScalars.first else { return character }
            return scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) ? "?" : character
        })
    }

    /// Words in columns across `width`, each row indented by two spaces, CR LF after each.
    static func columns(_ words: [String], width: Int) -> String {
        guard let longest = words.map(\.count).max() else { return "" }
        let cell = longest + 2
        let perRow = max(1, (width - 2) / cell)
        var text = ""
        for start in stride(from: 0, to: words.count, by: perRow) {
            let row = words[start..<min(start + perRow, words.count)]
            var line = "  "
            for (offset, word) in row.enumerated() {
                line += word
                if offset < row.count - 1 { line += String(repeating: " ", count: cell - word.count) }
            }
            text += line + "\r\n"
        }
        return text
    }

    /// `?` output: one entry per line, words padded to one column, then their help.
    static func helpTable(_ entries: [(String, String)]) -> String {
        let longest = entries.map(\.0.count).max() ?? 0
        var text = ""
        for (word, help) in entries {
            if help.isEmpty {
                text += "  \(word)\r\n"
            } else {
                text += "  " + word + String(repeating: " ", count: longest - word.count) + "  " + help + "\r\n"
            }
        }
        return text
    }
}
