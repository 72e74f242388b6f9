/// Maps what a receiver answered to a ``DeliveryOutcome``. Pure, so every rule is unit-tested.
public enum DeliveryClassifier {
    /// - 2xx: delivered.
    /// - 408, 425, 429 and 5xx: retryable, with `Retry-After` (seconds or HTTP-date, relative to `nowMs`).
    /// - Everything else (other 4xx, and 1xx/3xx, which mean a misconfigured URL since redirects
    ///   are the HTTP client's business): rejected, never retried.
    public static func classify(status: Int, retryAfter: String?, body: some Collection<UInt8>, nowMs: Int64, redacting secrets: [String] = []) -> DeliveryOutcome {
        if (200...299).contains(status) { return .delivered(status: status) }
        let excerpt = ResponseExcerpt.sanitize(body, redacting: secrets)
        let message = excerpt.isEmpty ? "HTTP \(status)" : "HTTP \(status): \(excerpt)"
        if isRetryable(status: status) {
            let retryAfterMs = retryAfter.flatMap { RetryAfter.delayMs(headerValue: $0, nowMs: nowMs) }
            return .retryable(status: status, retryAfterMs: retryAfterMs, message: message)
        }
        return .rejected(status: status, message: message)
    }

    public static func isRetryable(status: Int) -> Bool {
        status == 408 || status == 425 || status == 429 || (500...599).contains(status)
    }

    /// Command hooks report no HTTP status, so `status` is `nil` in every outcome; the exit
    /// status or signal is in the message instead.
    static func classify(_ result: CommandResult, timeoutMs: Int64, redacting secrets: [String] = []) -> DeliveryOutcome {
        let stderr = ResponseExcerpt.sanitize(result.standardError, redacting: secrets)
        func withStderr(_ text: String) -> String { stderr.isEmpty ? text : "\(text): \(stderr)" }
        switch result.termination {
        case .exited(0):
            return .delivered(status: nil)
        case .exited(let code):
            return .retryable(status: nil, retryAfterMs: nil, message: withStderr("command exited with status \(code)"))
        case .signaled(let signal):
            return .retryable(status: nil, retryAfterMs: nil, message: withStderr("command killed by signal \(signal)"))
        case .timedOut:
            return .retryable(status: nil, retryAfterMs: nil, message: withStderr("command timed out after \(timeoutMs) ms and was killed"))
        case .failed(let reason):
            return .retryable(status: nil, retryAfterMs: nil, message: "command could not be run: \(reason)")
        }
    }
}
