/// Interpretation of the `Retry-After` response header (RFC 9110 §10.2.3).
public enum RetryAfter {
    /// The delay the header asks for, in milliseconds from `nowMs`.
    ///
    /// Accepts delta-seconds (`"7"`) and any HTTP-date form; a date in the past yields 0.
    /// Returns `nil` for anything unparsable (negative or fractional seconds included), so a
    /// garbage header falls back to the normal backoff instead of failing the delivery.
    public static func delayMs(headerValue: String, nowMs: Int64) -> Int64? {
        let value = headerValue.trimmingASCIIWhitespace()
        guard !value.isEmpty else { return nil }
        if value.utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
            // Saturate instead of overflowing: the retry policy caps the result anyway.
            guard let seconds = Int64(value) else { return Int64.max }
            let (ms, overflow) = seconds.multipliedReportingOverflow(by: 1_000)
            return overflow ? Int64.max : ms
        }
        guard let dateMs = HTTPDate.epochMilliseconds(from: value) else { return nil }
        let (delta, overflow) = dateMs.subtractingReportingOverflow(nowMs)
        if overflow { return nowMs > dateMs ? 0 : Int64.max }
        return max(0, delta)
    }
}
