import Synchronization

/// Cancellation for one run, which may go through two exchanges (UDP, then TCP): cancelling
/// completes whichever exchange is in flight, and any exchange begun later at once.
final class DNSCancellation: Sendable {
    private let state = Mutex<(cancelled: Bool, current: DNSReplySlot?)>((false, nil))

    /// Makes `slot` the exchange in flight; completes it as cancelled when the run already is.
    func begin(_ slot: DNSReplySlot) {
        let cancelled = state.withLock { state in
            state.current = slot
            return state.cancelled
        }
        if cancelled { slot.complete(.cancelled) }
    }

    func cancel() {
        let current = state.withLock { state in
            state.cancelled = true
            return state.current
        }
        current?.complete(.cancelled)
    }
}
