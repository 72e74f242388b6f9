/// Severity levels; the raw values are exactly PagerDuty's, so they are sent unchanged to every kind of hook.
public enum AlertSeverity: String, Sendable, Codable, CaseIterable {
    case critical
    case error
    case warning
    case info
}
