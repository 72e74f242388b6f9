import NIOCore
import Synchronization

/// The one outcome of one exchange, filled in from the event loop (a handler, a failed
/// connect) or from cancellation, and awaited by the run. The first outcome wins; completing
/// closes the exchange's channel, so a finished exchange never leaves a socket open.
final class DNSReplySlot: Sendable {
    private struct State {
        var outcome: DNSExchangeOutcome?
        var waiter: CheckedContinuation<DNSExchangeOutcome, Never>?
        var channel: (any Channel)?
    }

    private let state = Mutex(State())

    /// Hands the exchange's channel to the slot; false when the slot is already complete
    /// (cancelled while connecting), in which case the caller must close the channel.
    func attach(_ channel: any Channel) -> Bool {
        state.withLock { state in
            guard state.outcome == nil else { return false }
            state.channel = channel
            return true
        }
    }

    func complete(_ outcome: DNSExchangeOutcome) {
        let completed = state.withLock { state -> (CheckedContinuation<DNSExchangeOutcome, Never>?, (any Channel)?)? in
            guard state.outcome == nil else { return nil }
            state.outcome = outcome
            defer {
                state.waiter = nil
                state.channel = nil
            }
            return (state.waiter, state.channel)
        }
        guard let (waiter, channel) = completed else { return }
        channel?.close(promise: nil)
        waiter?.resume(returning: outcome)
    }

    func outcome() async -> DNSExchangeOutcome {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> DNSExchangeOutcome? in
                if let outcome = state.outcome { return outcome }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
