import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension HookSender {
    /// Dead-man's-switch ping: a `GET` of `url` without a body, classified like a delivery.
    ///
    /// `GET` because every common dead-man's-switch service (healthchecks.io, Dead Man's Snitch,
    /// Cronitor, Uptime Kuma push monitors) accepts it, while some reject a `POST` without a
    /// content type. An invalid URL or a non-positive timeout answers `.rejected(status: 0, ...)`.
    ///
    /// - Parameter nowMs: the reference for an HTTP-date `Retry-After`.
    public func heartbeat(url: String, timeoutMs: Int64, nowMs: Int64) async -> DeliveryOutcome {
        let outcome: DeliveryOutcome
        var destination = "(invalid URL)"
        do throws(HookConfigurationError) {
            let parsed = try HookURL(url, hookName: "heartbeat")
            destination = parsed.logDescription
            if timeoutMs <= 0 { throw HookConfigurationError(hookName: "heartbeat", problem: .nonPositiveTimeout) }
            outcome = await sendHTTP(
                method: "GET", url: url, headers: [("User-Agent", HookRequestBuilder.userAgent)], body: [],
                timeoutMs: timeoutMs, nowMs: nowMs, secrets: [url] + parsed.sensitiveParts
            )
        } catch {
            outcome = .rejected(status: 0, message: error.description)
        }
        var metadata: Logger.Metadata = ["destination": "\(destination)"]
        switch outcome {
        case .delivered:
            logger.debug("heartbeat sent", metadata: metadata)
        case .retryable(_, _, let message), .rejected(_, let message):
            metadata["error"] = "\(message)"
            logger.warning("heartbeat failed", metadata: metadata)
        }
        return outcome
    }

    /// ``heartbeat(url:timeoutMs:nowMs:)`` with the system clock as `now`.
    public func heartbeat(url: String, timeoutMs: Int64) async -> DeliveryOutcome {
        await heartbeat(url: url, timeoutMs: timeoutMs, nowMs: Self.wallClockMs())
    }

    static func wallClockMs() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000 + Int64(now.tv_nsec) / 1_000_000
    }
}
