import Synchronization

/// The sessions of one server: admission against `maxSessions`, the count, and the
/// shutdown broadcast. A session admitted after shutdown began could miss the broadcast,
/// so admission and shutdown share the lock.
final class ConsoleSessionRegistry: Sendable {
    enum Admission: Equatable {
        case admitted
        case full
        case shuttingDown
    }

    private struct State {
        var sessions: [Int: ConsoleSession] = [:]
        var shuttingDown = false
    }

    private let state = Mutex(State())

    var count: Int { state.withLock { $0.sessions.count } }

    func admit(_ session: ConsoleSession, limit: Int) -> Admission {
        state.withLock { state in
            if state.shuttingDown { return .shuttingDown }
            guard state.sessions.count < limit else { return .full }
            state.sessions[session.id] = session
            return .admitted
        }
    }

    func remove(_ session: ConsoleSession) {
        _ = state.withLock { $0.sessions.removeValue(forKey: session.id) }
    }

    /// Refuses new sessions and tells every current one "% Node shutting down".
    func shutDown() {
        let sessions = state.withLock { state in
            state.shuttingDown = true
            return Array(state.sessions.values)
        }
        for session in sessions { session.shutDown() }
    }
}
