/// What `ConsoleSessionMachine` asks its session to do, in order. Writes must reach the
/// client in the order the machine produced them, interleaved with nothing else.
enum ConsoleSessionAction<Action: Sendable>: Sendable {
    /// Bytes for the client: echo, prompts, messages, telnet replies.
    case write([UInt8])
    /// Ask the command source for the prompt and tree of the session's mode, then call
    /// `ready(prompt:tree:)`.
    case refreshPrompt
    /// Ctrl-Z: set the mode to `.exec`, then as `.refreshPrompt`.
    case returnToExec
    /// Run a command; call `ready(prompt:tree:)` when it returns.
    case execute(Action, arguments: [String])
    /// Check this password (slow on purpose, so not in the machine), then call
    /// `passwordChecked(_:)`. Never log it.
    case verifyPassword(String)
    /// The key the last `wantKey()` waited for.
    case key(UInt8)
    /// The user is in: no password is configured, or the right one was given.
    case loggedIn
    /// End the session once everything written before has been sent.
    case close
}

extension ConsoleSessionAction: Equatable where Action: Equatable {}
