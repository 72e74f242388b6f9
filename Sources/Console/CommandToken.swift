/// A whitespace-separated word of a command line and where it starts (in `Character`s).
struct CommandToken: Sendable, Equatable {
    var text: String
    var position: Int
    var start: String.Index

    /// Split on spaces and tabs. Quoting is deliberately not supported: the console's
    /// grammar has no values with spaces, and a caret position stays trivially correct.
    static func split(_ line: String) -> [CommandToken] {
        var tokens: [CommandToken] = []
        var current = ""
        var currentStart = line.startIndex
        var currentPosition = 0
        var position = 0
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            if character == " " || character == "\t" {
                if !current.isEmpty {
                    tokens.append(CommandToken(text: current, position: currentPosition, start: currentStart))
                    current = ""
                }
            } else {
                if current.isEmpty {
                    currentStart = index
                    currentPosition = position
                }
                current.append(character)
            }
            position += 1
            index = line.index(after: index)
        }
        if !current.isEmpty {
            tokens.append(CommandToken(text: current, position: currentPosition, start: currentStart))
        }
        return tokens
    }
}
