import NoitCore
import Synchronization

/// One http run across its redirects, driven by callbacks: each exchange's completion either
/// starts the request its redirect points to, or ends the run with the verdict.
final class HTTPRun: Sendable {
    private struct State {
        var request: HTTPRequest
        var redirects = 0
        var current: HTTPExchangeAttempt?
        var cancelled = false
    }

    private let module: HTTPModule
    private let config: HTTPCheckConfig
    private let timeoutMilliseconds: Int64
    private let completion: @Sendable (CheckResult) -> Void
    private let start = ContinuousClock.now
    private let state: Mutex<State>

    init(
        module: HTTPModule, config: HTTPCheckConfig, request: HTTPRequest, timeoutMilliseconds: Int64,
        completion: @escaping @Sendable (CheckResult) -> Void
    ) {
        self.module = module
        self.config = config
        self.timeoutMilliseconds = timeoutMilliseconds
        self.completion = completion
        self.state = Mutex(State(request: request))
    }

    private var elapsedMilliseconds: Double { (ContinuousClock.now - start).milliseconds }

    func begin() {
        let request = state.withLock { $0.request }
        let remaining = max(1, timeoutMilliseconds - Int64(elapsedMilliseconds))
        let attempt = module.beginExchange(request, config: config, timeoutMilliseconds: remaining)
        let cancelled = state.withLock { state -> Bool in
            state.current = attempt
            return state.cancelled
        }
        if cancelled { attempt.cancel() }
        attempt.exchange.whenComplete { [self] outcome in
            attempt.finish()
            exchangeEnded(outcome)
        }
    }

    /// Cancels the run; its completion still comes, with the exchange failed as "cancelled".
    func cancel() {
        let current = state.withLock { state -> HTTPExchangeAttempt? in
            state.cancelled = true
            return state.current
        }
        current?.cancel()
    }

    private enum Next {
        case follow
        case end(redirects: Int, redirectFailure: String?)
    }

    private func exchangeEnded(_ outcome: HTTPExchange.Outcome) {
        let next = state.withLock { state -> Next in
            state.current = nil
            guard outcome.failure == nil, let status = outcome.status, state.redirects < config.maxRedirects,
                !state.cancelled
            else { return .end(redirects: state.redirects, redirectFailure: nil) }
            do {
                guard let redirected = try state.request.redirected(status: status, location: outcome.location) else {
                    return .end(redirects: state.redirects, redirectFailure: nil)
                }
                state.request = redirected
                state.redirects += 1
                return .follow
            } catch {
                return .end(redirects: state.redirects, redirectFailure: "cannot follow redirect: \(error)")
            }
        }
        switch next {
        case .follow:
            begin()
        case .end(let redirects, let redirectFailure):
            completion(
                HTTPModule.result(
                    of: outcome, config: config, redirects: redirects, redirectFailure: redirectFailure,
                    duration: elapsedMilliseconds))
        }
    }
}
