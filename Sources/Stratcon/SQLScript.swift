import Foundation
/// Splits a migration file into statements: PostgreSQL's extended protocol, which
/// PostgresNIO speaks, takes one statement at a time. Semicolons inside quotes, `--`
/// comments and dollar-quoted bodies (`$$ … $$`, `$tag$ … $tag$`) do not split.
enum SQLScript {
    static func statements(_ script: String) -> [String] {
        var statements = [String]()
        var current = ""
        var index = script.startIndex
        var inSingleQuote = false
        var dollarTag: String?
        func peek(_ text: String) -> Bool { script[index...].hasPrefix(text) }
        while index < script.endIndex {
            let character = script[index]
            if let tag = dollarTag {
                if peek(tag) {
                    current += tag
                    index = script.index(index, offsetBy: tag.count)
                    dollarTag = nil
                    continue
                }
            } else if inSingleQuote {
                if character == "'" { inSingleQuote = false }
            } else if character == "'" {
                inSingleQuote = true
            } else if peek("--") {
                // Skip to the end of the line; a comment never ends a statement.
                while index < script.endIndex, script[index] != "\n" { index = script.index(after: index) }
                continue
            } else if character == "$", let tag = dollarQuoteTag(at: index, in: script) {
                current += tag
                index = script.index(index, offsetBy: tag.count)
                dollarTag = tag
                continue
            } else if character == ";" {
                let statement = current.trimmingCharacters(in: .whitespacesAndNewlines)
                if !statement.isEmpty { statements.append(statement) }
                current = ""
                index = script.index(after: index)
                continue
            }
            current.append(character)
            index = script.index(after: index)
        }
        let last = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !last.isEmpty { statements.append(last) }
        return statements
    }

    /// `$$` or `$identifier$` starting at `index`.
    private static func dollarQuoteTag(at index: String.Index, in script: String) -> String? {
        var end = script.index(after: index)
        while end < script.endIndex, script[end].isLetter || script[end].isNumber || script[end] == "_" {
            end = script.index(after: end)
        }
        guard end < script.endIndex, script[end] == "$" else { return nil }
        return String(script[index...end])
    }
}
