/// How a command hook's process ended, as seen by ``CommandRunner``.
struct CommandResult: Sendable, Equatable {
    enum Termination: Sendable, Equatable {
        case exited(Int32)
        /// Killed by a signal it was not sent by us.
        case signaled(Int32)
        /// Ran past its timeout; its whole process group was killed.
        case timedOut
        /// Could not be started (missing or non-executable file) or could not be watched.
        case failed(String)
    }

    var termination: Termination
    /// The first ``ResponseExcerpt/maximumBytes`` bytes of standard error.
    var standardError: [UInt8]
}
