import Foundation
import Synchronization

/// Caps how many plugin processes run at once, so that a burst of external checks cannot
/// fork-bomb the node. Runs beyond the cap wait, first come first served; a waiting run that is
/// cancelled (its check timed out) leaves the queue without taking a slot.
final class ExternalConcurrencyLimiter: Sendable {
    /// The environment variable that sets the node-wide cap; the default is 32.
    static let environmentVariable = "NOIT_EXTERNAL_MAX_CONCURRENT"
    static let defaultLimit = 32

    /// The cap every `external` module instance shares.
    static let shared = ExternalConcurrencyLimiter(
        limit: ProcessInfo.processInfo.environment[environmentVariable].flatMap { Int($0) } ?? defaultLimit)

    private enum Waiter {
        /// Acquiring, not yet queued.
        case starting
        /// Cancelled before it could queue.
        case cancelled
        case queued(CheckedContinuation<Bool, Never>)
    }

    private struct State {
        var available: Int
        var nextID: UInt64 = 0
        var waiters: [UInt64: Waiter] = [:]
        /// Queued waiters in arrival order.
        var queue: [UInt64] = []
    }

    let limit: Int
    private let state: Mutex<State>

    init(limit: Int) {
        self.limit = max(1, limit)
        self.state = Mutex(State(available: max(1, limit)))
    }

    /// Runs currently holding a slot.
    var inUse: Int { state.withLock { limit - $0.available } }

    /// Runs waiting for a slot.
    var waiting: Int { state.withLock { $0.queue.count } }

    /// Takes a slot, waiting for one if needed. False when the task was cancelled first; then
    /// no slot is held and `release` must not be called.
    func acquire() async -> Bool {
        let id = state.withLock { state -> UInt64 in
            let id = state.nextID
            state.nextID += 1
            state.waiters[id] = .starting
            return id
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let granted: Bool? = state.withLock { state in
                    if case .cancelled = state.waiters[id] {
                        state.waiters[id] = nil
                        return false
                    }
                    if state.available > 0 {
                        state.available -= 1
                        state.waiters[id] = nil
                        return true
                    }
                    state.waiters[id] = .queued(continuation)
                    state.queue.append(id)
                    return nil
                }
                if let granted { continuation.resume(returning: granted) }
            }
        } onCancel: {
            let continuation = state.withLock { state -> CheckedContinuation<Bool, Never>? in
                switch state.waiters[id] {
                case .starting:
                    state.waiters[id] = .cancelled
                    return nil
                case .queued(let continuation):
                    state.waiters[id] = nil
                    state.queue.removeAll { $0 == id }
                    return continuation
                case .cancelled, nil:
                    return nil
                }
            }
            continuation?.resume(returning: false)
        }
    }

    /// Gives a slot back, handing it straight to the longest waiter if there is one.
    func release() {
        let next = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            while !state.queue.isEmpty {
                let id = state.queue.removeFirst()
                if case .queued(let continuation) = state.waiters.removeValue(forKey: id) {
                    return continuation
                }
            }
            state.available = min(limit, state.available + 1)
            return nil
        }
        next?.resume(returning: true)
    }
}
