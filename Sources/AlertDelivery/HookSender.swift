import AsyncHTTPClient
import Logging

/// Sends one notification to one hook and classifies the result.
///
/// Never throws: every failure, including an invalid hook definition, is a ``DeliveryOutcome``,
/// so the outbox worker only has to record it. Retry timing is the worker's job (see
/// ``RetryPolicy``); this type makes exactly one attempt per call.
///
/// Logging: one line per attempt with the hook's name, kind and destination as
/// `scheme://host[:port]` (or the command path). Routing keys, header values, URL paths, userinfo
/// and queries are never logged, and the HTTP client is handed a silent logger because its own
/// trace output includes full URLs.
public final class HookSender: Sendable {
    let httpClient: HTTPClient
    let logger: Logger
    /// Given to AsyncHTTPClient instead of `logger`, see the type's documentation.
    let silentLogger = Logger(label: "alert-delivery.http-client", factory: { _ in SwiftLogNoOpLogHandler() })

    /// - Parameter httpClient: owned by the caller, who also shuts it down. Its redirect settings apply.
    public init(httpClient: HTTPClient, logger: Logger) {
        self.httpClient = httpClient
        self.logger = logger
    }

    public func deliver(_ notification: AlertNotification, to hook: HookDefinition, nowMs: Int64) async -> DeliveryOutcome {
        let outcome: DeliveryOutcome
        do {
            switch try HookRequestBuilder.request(for: notification, hook: hook, nowMs: nowMs) {
            case .http(let method, let url, let headers, let body):
                outcome = await sendHTTP(
                    method: method, url: url, headers: headers, body: body,
                    timeoutMs: hook.timeoutMs, nowMs: nowMs, secrets: hook.secrets
                )
            case .command(let path, let arguments, let environment):
                var timeoutMs = hook.timeoutMs
                if case .command(_, _, let commandTimeoutMs) = hook.kind { timeoutMs = commandTimeoutMs }
                outcome = await runCommand(path: path, arguments: arguments, environment: environment, timeoutMs: timeoutMs)
            }
        } catch let error as HookConfigurationError {
            outcome = .rejected(status: 0, message: error.description)
        } catch {
            outcome = .rejected(status: 0, message: "could not build the request: \(error)")
        }
        log(outcome, hook: hook, notification: notification)
        return outcome
    }

    private func log(_ outcome: DeliveryOutcome, hook: HookDefinition, notification: AlertNotification) {
        var metadata: Logger.Metadata = [
            "hook": "\(hook.name)",
            "hook_kind": "\(hook.kind.label)",
            "destination": "\(hook.logDestination)",
            "dedup_key": "\(notification.dedupKey)",
            "alert_action": "\(notification.action.rawValue)",
        ]
        switch outcome {
        case .delivered(let status):
            if let status { metadata["status"] = "\(status)" }
            logger.info("alert delivered", metadata: metadata)
        case .retryable(let status, let retryAfterMs, let message):
            if let status { metadata["status"] = "\(status)" }
            if let retryAfterMs { metadata["retry_after_ms"] = "\(retryAfterMs)" }
            metadata["error"] = "\(message)"
            logger.warning("alert delivery failed, will retry", metadata: metadata)
        case .rejected(let status, let message):
            metadata["status"] = "\(status)"
            metadata["error"] = "\(message)"
            logger.error("alert delivery rejected, will not retry", metadata: metadata)
        }
    }
}
