/// Builds the request for one notification and one hook. Pure: no I/O, no clock, no environment;
/// the same input always yields byte-identical output (JSON keys are sorted).
public enum HookRequestBuilder {
    /// Sent on every HTTP hook so receivers can tell these requests apart in their logs.
    public static let userAgent = "reconnoiter-stratcond-alerting/1"

    /// - Parameter nowMs: the attempt's wall-clock time; only Alertmanager triggers use it (for `endsAt`).
    /// - Throws: ``HookConfigurationError`` when the hook fails ``HookDefinition/validate()``.
    public static func request(for notification: AlertNotification, hook: HookDefinition, nowMs: Int64) throws -> HookRequest {
        try hook.validate()
        switch hook.kind {
        case .pagerDuty(let url, let routingKey):
            let body = pagerDutyBody(for: notification, routingKey: routingKey)
            return .http(method: "POST", url: url, headers: try jsonHeaders(for: url, hook: hook), body: try body.encoded())
        case .webhook(let url, let configured):
            var headers = try jsonHeaders(for: url, hook: hook)
            // Sorted so the header order, like the body, does not depend on dictionary order.
            for (name, value) in configured.sorted(by: { $0.key < $1.key }) { headers.set(name, value) }
            return .http(method: "POST", url: url, headers: headers, body: try webhookBody(for: notification).encoded())
        case .alertmanager(let base, let resolveTimeoutMs):
            let body = alertmanagerBody(for: notification, resolveTimeoutMs: resolveTimeoutMs, nowMs: nowMs)
            return .http(
                method: "POST", url: alertmanagerAlertsURL(base: base), headers: try jsonHeaders(for: base, hook: hook),
                body: try body.encoded()
            )
        case .command(let path, let arguments, _):
            return .command(path: path, arguments: arguments, environment: try commandEnvironment(for: notification))
        }
    }

    /// JSON content headers, plus `Authorization: Basic` when the URL carries userinfo (the usual
    /// way to reach an Alertmanager behind a proxy with basic auth); a configured webhook header
    /// replaces it.
    static func jsonHeaders(for url: String, hook: HookDefinition) throws(HookConfigurationError) -> HookHeaders {
        var headers = jsonHeaders()
        if let authorization = try HookURL(url, hookName: hook.name).basicAuthorization {
            headers.set("Authorization", authorization)
        }
        return headers
    }

    static func jsonHeaders() -> HookHeaders {
        [("Content-Type", "application/json"), ("Accept", "application/json"), ("User-Agent", userAgent)]
    }
}
