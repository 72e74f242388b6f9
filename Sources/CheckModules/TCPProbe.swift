import NIOCore
import NIOSSL
import Synchronization

/// What one tcp run observed, filled in by `TCPProbeHandler` on the event loop; the module
/// hears of the end through `whenComplete`. It completes exactly once: with everything
/// wanted, or with the first failure.
final class TCPProbe: Sendable {
    struct Outcome: Sendable {
        var connectMilliseconds: Double?
        var handshakeMilliseconds: Double?
        var firstByteMilliseconds: Double?
        var banner: String?
        var certificate: CertificateSummary?
        var failure: String?

        init(failure: String? = nil) { self.failure = failure }
    }

    private struct State {
        var outcome = Outcome()
        var buffered = [UInt8]()
        var done = false
        var waiter: (@Sendable () -> Void)?
    }

    let readBanner: Bool
    let bannerLimit: Int
    let useTLS: Bool
    private let start = ContinuousClock.now
    private let state = Mutex(State())

    init(readBanner: Bool, bannerLimit: Int, useTLS: Bool) {
        self.readBanner = readBanner
        self.bannerLimit = max(1, bannerLimit)
        self.useTLS = useTLS
    }

    private var elapsed: Double { (ContinuousClock.now - start).milliseconds }

    func connected() {
        let at = elapsed
        state.withLock { $0.outcome.connectMilliseconds = at }
        if !useTLS { secured() }
    }

    func handshakeCompleted(certificate: CertificateSummary?) {
        let at = elapsed
        state.withLock { state in
            state.outcome.handshakeMilliseconds = at - (state.outcome.connectMilliseconds ?? 0)
            state.outcome.certificate = certificate
        }
        secured()
    }

    private func secured() {
        if !readBanner { complete { _ in } }
    }

    func received(_ bytes: ByteBufferView) {
        guard readBanner else { return }
        let at = elapsed
        let finished = state.withLock { state -> Bool in
            if state.outcome.firstByteMilliseconds == nil { state.outcome.firstByteMilliseconds = at }
            state.buffered.append(contentsOf: bytes.prefix(bannerLimit - state.buffered.count))
            return state.buffered.contains(0x0A) || state.buffered.count >= bannerLimit
        }
        if finished { complete { _ in } }
    }

    /// The peer closed: whatever banner arrived is the banner; nothing at all is a failure.
    func closed() {
        complete { state in
            if state.readBanner && state.buffered.isEmpty && state.outcome.failure == nil {
                state.outcome.failure = "connection closed before a banner"
            } else if !state.readBanner && state.outcome.failure == nil && state.outcome.connectMilliseconds == nil {
                state.outcome.failure = "connection closed"
            }
        }
    }

    func fail(_ reason: String) {
        complete { state in
            if state.outcome.failure == nil { state.outcome.failure = reason }
        }
    }

    /// Calls `body` once the probe is complete (at once if it already is); once per probe.
    func whenComplete(_ body: @escaping @Sendable () -> Void) {
        let ready = state.withLock { state -> Bool in
            if state.done { return true }
            state.waiter = body
            return false
        }
        if ready { body() }
    }

    /// What the probe observed; final once `whenComplete`'s body has been called.
    var completedOutcome: Outcome {
        state.withLock { $0.outcome }
    }

    private struct Completion {
        var outcome: Outcome
        var buffered: [UInt8]
        var readBanner: Bool
    }

    private func complete(_ finish: (inout Completion) -> Void) {
        let resumed: (@Sendable () -> Void)? = state.withLock { state in
            guard !state.done else { return nil }
            var completion = Completion(outcome: state.outcome, buffered: state.buffered, readBanner: readBanner)
            finish(&completion)
            state.outcome = completion.outcome
            if readBanner && !state.buffered.isEmpty {
                let line = state.buffered.split(separator: 0x0A, maxSplits: 1, omittingEmptySubsequences: false).first ?? []
                var text = String(decoding: line, as: UTF8.self)
                if text.hasSuffix("\r") { text.removeLast() }
                state.outcome.banner = text
            }
            state.done = true
            guard let waiter = state.waiter else { return nil }
            state.waiter = nil
            return waiter
        }
        resumed?()
    }
}
