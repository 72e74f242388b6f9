import NIOCore
import NIOHTTP1
import Synchronization

/// What one request/response on one connection observed, filled in from the event loop (and
/// the certificate verifier); the run hears of the end through `whenComplete`. It completes
/// exactly once: when the response ends, when the body reaches the read limit, or with the
/// first failure.
final class HTTPExchange: Sendable {
    struct Outcome: Sendable {
        /// Milliseconds from the start of the exchange (name resolution included).
        var connectMilliseconds: Double?
        var firstByteMilliseconds: Double?
        var status: Int?
        var location: String?
        /// The body kept, at most the read limit.
        var body: [UInt8] = []
        var truncated = false
        /// The leaf the server presented (verified or not).
        var certificate: CertificateSummary?
        /// Why the certificate did not verify; set only when it was verified and failed.
        var verificationFailure: String?
        var failure: String?

        var responseReceived: Bool { status != nil }

        init(failure: String? = nil) { self.failure = failure }
    }

    private struct State {
        var outcome = Outcome()
        var done = false
        var waiter: (@Sendable (Outcome) -> Void)?
    }

    let readLimit: Int
    private let start = ContinuousClock.now
    private let state = Mutex(State())

    init(readLimit: Int) {
        self.readLimit = readLimit
    }

    private var elapsed: Double { (ContinuousClock.now - start).milliseconds }

    func connected() {
        let at = elapsed
        state.withLock { $0.outcome.connectMilliseconds = $0.outcome.connectMilliseconds ?? at }
    }

    func receivedFirstByte() {
        let at = elapsed
        state.withLock { $0.outcome.firstByteMilliseconds = $0.outcome.firstByteMilliseconds ?? at }
    }

    func presented(certificate: CertificateSummary?) {
        state.withLock { state in
            if state.outcome.certificate == nil { state.outcome.certificate = certificate }
        }
    }

    func verificationFailed(_ reason: String) {
        state.withLock { $0.outcome.verificationFailure = $0.outcome.verificationFailure ?? reason }
    }

    func received(head: HTTPResponseHead) {
        state.withLock { state in
            state.outcome.status = Int(head.status.code)
            state.outcome.location = head.headers.first(name: "Location")
        }
    }

    /// Keeps body bytes up to the read limit. Returns false once the limit is passed: the
    /// exchange is then complete (truncated) and the connection should be closed.
    func received(body: ByteBuffer) -> Bool {
        let overLimit = state.withLock { state -> Bool in
            guard !state.done else { return true }
            let room = readLimit - state.outcome.body.count
            if body.readableBytes > room {
                state.outcome.body.append(contentsOf: body.readableBytesView.prefix(max(0, room)))
                state.outcome.truncated = true
                return true
            }
            state.outcome.body.append(contentsOf: body.readableBytesView)
            return false
        }
        if overLimit { complete { _ in } }
        return !overLimit
    }

    func responseEnded() {
        complete { _ in }
    }

    /// The peer closed: before a complete response that is a failure.
    func closed() {
        complete { outcome in
            guard outcome.failure == nil else { return }
            if let failure = outcome.verificationFailure {
                outcome.failure = "TLS: " + failure
            } else {
                outcome.failure = outcome.responseReceived
                    ? "connection closed before the body was complete" : "connection closed before a response"
            }
        }
    }

    /// Fails the exchange unless it already completed; the first reason wins, except that a
    /// certificate that did not verify explains any failure that follows it (the handshake's).
    func fail(_ reason: String) {
        complete { outcome in
            guard outcome.failure == nil else { return }
            outcome.failure = outcome.verificationFailure.map { "TLS: " + $0 } ?? reason
        }
    }

    /// Calls `body` with the outcome once complete (at once if it already is); once per exchange.
    func whenComplete(_ body: @escaping @Sendable (Outcome) -> Void) {
        let ready: Outcome? = state.withLock { state in
            if state.done { return state.outcome }
            state.waiter = body
            return nil
        }
        if let ready { body(ready) }
    }

    private func complete(_ finish: (inout Outcome) -> Void) {
        let resumed: (@Sendable (Outcome) -> Void, Outcome)? = state.withLock { state in
            guard !state.done else { return nil }
            finish(&state.outcome)
            state.done = true
            guard let waiter = state.waiter else { return nil }
            state.waiter = nil
            return (waiter, state.outcome)
        }
        if let (waiter, outcome) = resumed { waiter(outcome) }
    }
}
