/// Outcome of `CommandTree.resolve(_:)`. Positions are `Character` offsets into the line,
/// ready for `CommandTree.caretLine(for:position:)`.
public enum CommandResolution<Action: Sendable>: Sendable {
    /// Run `action`; `arguments` are the words that matched parameters, in order.
    case command(Action, arguments: [String])
    /// The caller prints `% Ambiguous command: "<word>"` (and may list `candidates`).
    case ambiguous(word: String, candidates: [String], position: Int)
    /// The caller prints the line, a caret under `position`, and `% Invalid input`.
    case invalid(position: Int)
    /// The words so far are valid but do not form a command: `% Incomplete command`.
    case incomplete
    /// Nothing but whitespace: print a new prompt.
    case empty
}

extension CommandResolution: Equatable where Action: Equatable {}
