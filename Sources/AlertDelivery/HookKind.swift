/// Where and how a hook delivers notifications.
///
/// Several associated values are secrets (the PagerDuty routing key, webhook headers such as
/// `Authorization`, userinfo or query strings in URLs). Nothing in this module logs them; code
/// that wraps these values must not either, which is why this type deliberately has no custom
/// `description`.
public enum HookKind: Sendable, Equatable {
    /// PagerDuty Events API v2. `url` is normally ``HookKind/pagerDutyDefaultURL``.
    case pagerDuty(url: String, routingKey: String)
    /// A generic JSON webhook; `headers` are added to every request (and may override `Content-Type`).
    case webhook(url: String, headers: [String: String])
    /// Prometheus Alertmanager. `url` is the base (e.g. `http://127.0.0.1:9093`); alerts are posted to
    /// `<base>/api/v2/alerts`. With `resolveTimeoutMs` set, a trigger carries
    /// `endsAt = now + resolveTimeoutMs`, so the caller must re-send open alerts more often than that.
    case alertmanager(url: String, resolveTimeoutMs: Int64?)
    /// Runs `path` directly (no shell) with `arguments`; the alert is passed in `ALERT_*` variables.
    case command(path: String, arguments: [String], timeoutMs: Int64)

    /// The PagerDuty Events API v2 endpoint.
    public static let pagerDutyDefaultURL = "https://events.pagerduty.com/v2/enqueue"

    /// A PagerDuty hook on the public endpoint.
    public static func pagerDuty(routingKey: String) -> HookKind {
        .pagerDuty(url: pagerDutyDefaultURL, routingKey: routingKey)
    }

    /// A short, secret-free name of the kind, for logs and metrics.
    public var label: String {
        switch self {
        case .pagerDuty: "pagerduty"
        case .webhook: "webhook"
        case .alertmanager: "alertmanager"
        case .command: "command"
        }
    }
}
