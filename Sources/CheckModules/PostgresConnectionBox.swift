import NIOCore
import PostgresNIO
import Synchronization

/// Holds a run's connection so that cancellation can close it, whichever comes first.
final class PostgresConnectionBox: Sendable {
    private let state = Mutex<(connection: PostgresConnection?, cancelled: Bool)>((nil, false))

    /// Stores the connection; false when the run was already cancelled (the caller closes it).
    func set(_ connection: PostgresConnection) -> Bool {
        state.withLock { state in
            if state.cancelled { return false }
            state.connection = connection
            return true
        }
    }

    /// Closes the connection, failing any query waiting on it.
    func cancel() {
        let connection = state.withLock { state -> PostgresConnection? in
            state.cancelled = true
            return state.connection
        }
        // The future-returning close: this runs in a cancellation handler, which cannot await.
        _ = connection?.close() as EventLoopFuture<Void>?
    }
}
