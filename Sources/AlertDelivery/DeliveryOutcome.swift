/// The result of one delivery attempt, already classified for the outbox worker.
public enum DeliveryOutcome: Sendable, Equatable {
    /// A 2xx answer, or a command that exited 0.
    case delivered(status: Int?)
    /// Try again later: 5xx, 408, 425, 429, network errors, timeouts, or a command that exited
    /// non-zero, was killed by a signal, timed out or could not be started. `retryAfterMs` is the
    /// receiver's `Retry-After`, relative to the `now` the attempt was made with.
    case retryable(status: Int?, retryAfterMs: Int64?, message: String)
    /// The receiver refused the notification (any other status); sending it again cannot help.
    /// `status` is 0 when no request was made because the hook definition is invalid.
    case rejected(status: Int, message: String)
}
