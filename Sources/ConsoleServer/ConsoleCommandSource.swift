import Console

/// What the node provides: the prompt and the command tree for a session's current mode.
///
/// Both are asked again each time a prompt is printed (after every command, after login and
/// after Ctrl-Z), so a command that changes `session.mode` gets the new mode's tree at once.
/// They are called outside the session's lock and may read `session.mode` freely; they
/// should be cheap (cache trees per mode rather than rebuilding them).
public protocol ConsoleCommandSource: Sendable {
    /// E.g. `"noit# "` or `"noit(conf:/checks)# "`.
    func prompt(for session: ConsoleSession) -> String
    func commands(for session: ConsoleSession) -> CommandTree<ConsoleCommand>
}
