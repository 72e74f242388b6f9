/// One notification about one alert, exactly as stored in the outbox.
///
/// The outbox worker rebuilds it from the row and hands it to ``HookSender``; nothing here is
/// shortened or normalised, so the row stays the source of truth and every hook applies its own
/// limits (for example PagerDuty's 255-character dedup key) when the request is built.
public struct AlertNotification: Sendable, Equatable, Codable {
    /// Stable per (rule, check, metric); receivers use it to pair a resolve with its trigger.
    public var dedupKey: String
    public var action: AlertAction
    public var rule: String
    public var severity: AlertSeverity
    public var summary: String
    public var checkUUID: String
    public var checkName: String
    public var target: String
    public var module: String
    /// `nil` for status and absence-of-check rules.
    public var metric: String?
    public var value: Double?
    /// Milliseconds since the Unix epoch, UTC.
    public var openedAtMs: Int64
    /// Milliseconds since the Unix epoch, UTC; set for ``AlertAction/resolve``.
    public var resolvedAtMs: Int64?
    /// Where the alert comes from, e.g. the noit address or the stratcond host name.
    public var source: String
    /// URL of the check page in the web UI.
    public var link: String?
    /// Extra fields (kind, band, predicted crossing, ...).
    public var details: [String: String]

    public init(
        dedupKey: String,
        action: AlertAction,
        rule: String,
        severity: AlertSeverity,
        summary: String,
        checkUUID: String,
        checkName: String,
        target: String,
        module: String,
        metric: String? = nil,
        value: Double? = nil,
        openedAtMs: Int64,
        resolvedAtMs: Int64? = nil,
        source: String,
        link: String? = nil,
        details: [String: String] = [:]
    ) {
        self.dedupKey = dedupKey
        self.action = action
        self.rule = rule
        self.severity = severity
        self.summary = summary
        self.checkUUID = checkUUID
        self.checkName = checkName
        self.target = target
        self.module = module
        self.metric = metric
        self.value = value
        self.openedAtMs = openedAtMs
        self.resolvedAtMs = resolvedAtMs
        self.source = source
        self.link = link
        self.details = details
    }
}
