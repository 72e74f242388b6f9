import Synchronization

/// The echo requests of one ping_icmp run and the replies matched to them. Replies arrive on
/// the engine's reader thread; the run awaits `allReplied()`.
final class PingSession: Sendable {
    private enum Probe {
        case unsent
        case sent(ContinuousClock.Instant)
        /// The request never left (sendto failed): lost, and not waited for.
        case failed
        /// Round trip in seconds.
        case replied(Double)
    }

    private struct State {
        var probes: [Probe]
        var sendingDone = false
        var firstSendError: String?
        var waiter: CheckedContinuation<Void, Never>?

        var complete: Bool {
            sendingDone && !probes.contains { if case .sent = $0 { true } else { false } }
        }
    }

    private let state: Mutex<State>

    init(count: Int) {
        state = Mutex(State(probes: Array(repeating: .unsent, count: count)))
    }

    func markSent(_ index: Int, at instant: ContinuousClock.Instant) {
        state.withLock { $0.probes[index] = .sent(instant) }
    }

    /// A request that never left counts as sent and lost; the first reason is kept for the status.
    func markSendFailed(_ index: Int, reason: String) {
        state.withLock { state in
            state.probes[index] = .failed
            if state.firstSendError == nil { state.firstSendError = reason }
        }
    }

    /// Records a reply; the round trip is measured from the send to `instant`.
    func markReplied(_ index: Int, at instant: ContinuousClock.Instant) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard case .sent(let sent) = state.probes[index] else { return nil }
            state.probes[index] = .replied((instant - sent).milliseconds / 1000)
            return takeWaiterIfComplete(&state)
        }
        waiter?.resume()
    }

    /// No more requests will be sent in this run.
    func finishSending() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.sendingDone = true
            return takeWaiterIfComplete(&state)
        }
        waiter?.resume()
    }

    /// Returns once every request sent has its reply (or failed to leave), or when the task is cancelled.
    func allReplied() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state -> Bool in
                    if state.complete || Task.isCancelled { return true }
                    state.waiter = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }

    /// Requests sent so far (failed sends included), the replies' round trips in seconds in send
    /// order, and the first send error.
    var snapshot: (sent: Int, roundTrips: [Double], sendError: String?) {
        state.withLock { state in
            var sent = 0
            var roundTrips = [Double]()
            for probe in state.probes {
                switch probe {
                case .unsent: continue
                case .sent, .failed: sent += 1
                case .replied(let seconds):
                    sent += 1
                    roundTrips.append(seconds)
                }
            }
            return (sent, roundTrips, state.firstSendError)
        }
    }

    private func takeWaiterIfComplete(_ state: inout State) -> CheckedContinuation<Void, Never>? {
        guard state.complete, let waiter = state.waiter else { return nil }
        state.waiter = nil
        return waiter
    }
}
