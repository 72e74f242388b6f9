/// One word of a command path: a keyword (`show`) or a parameter placeholder (`<uuid>`).
///
/// Keywords match case-insensitively and may be abbreviated to any unambiguous prefix.
/// Parameters match any word their `validator` accepts and complete through `completer`
/// (which receives the partial word and may return candidates not starting with it; the
/// tree filters). Both closures must be pure and cheap: they run on every Tab and `?`.
public struct CommandWord: Sendable {
    public enum Kind: Sendable, Equatable {
        case keyword(String)
        case parameter(name: String)
    }

    public let kind: Kind
    /// One line shown by `?`.
    public let help: String
    public let completer: @Sendable (String) -> [String]
    public let validator: @Sendable (String) -> Bool
    /// The parameter takes the rest of the line as one argument (a config value with spaces).
    /// Words are re-joined with single spaces: runs of spaces and tabs collapse.
    public var takesRestOfLine = false

    public static func keyword(_ word: String, help: String) -> CommandWord {
        CommandWord(kind: .keyword(word), help: help, completer: { _ in [] }, validator: { _ in false })
    }

    /// A parameter; by default it accepts any non-empty word and completes nothing.
    public static func parameter(
        _ name: String,
        help: String,
        completer: @escaping @Sendable (String) -> [String] = { _ in [] },
        validator: @escaping @Sendable (String) -> Bool = { !$0.isEmpty }
    ) -> CommandWord {
        CommandWord(kind: .parameter(name: name), help: help, completer: completer, validator: validator)
    }

    /// A parameter that takes every remaining word of the line as one argument; it must be
    /// the last word of its command.
    public static func text(
        _ name: String,
        help: String,
        completer: @escaping @Sendable (String) -> [String] = { _ in [] }
    ) -> CommandWord {
        var word = CommandWord(kind: .parameter(name: name), help: help, completer: completer, validator: { !$0.isEmpty })
        word.takesRestOfLine = true
        return word
    }

    /// What `?` shows: the keyword itself, or `<name>` for a parameter.
    public var display: String {
        switch kind {
        case .keyword(let word): word
        case .parameter(let name): "<\(name)>"
        }
    }

    /// Identity used when merging registrations: keywords case-insensitively, parameters by name.
    var mergeKey: String {
        switch kind {
        case .keyword(let word): word.lowercased()
        case .parameter(let name): "<\(name)>"
        }
    }

    var keyword: String? {
        if case .keyword(let word) = kind { word } else { nil }
    }
}
