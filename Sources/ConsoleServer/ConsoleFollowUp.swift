/// What a task must do outside the session's lock after applying machine actions: these
/// call the command source or hash a password, which must not run under a lock.
enum ConsoleFollowUp: Sendable {
    case refreshPrompt(returnToExec: Bool)
    case verifyPassword(String)
    case loggedIn
}
