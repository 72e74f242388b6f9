/// Outcome of `CommandTree.complete(_:)`. Lines keep the words already typed verbatim.
public enum CommandCompletion: Sendable, Equatable {
    /// Nothing can follow here (or an earlier word is invalid): ring the bell.
    case noMatch
    /// A single candidate: the completed line, with a trailing space.
    case completed(line: String)
    /// Several candidates: the line extended to their longest common prefix, and the
    /// sorted candidates to list for the user.
    case partial(line: String, candidates: [String])
}
