import AlertDelivery

/// stratcon.conf's `<alerting>`: hooks, rules, heartbeat and timings, with defaults.
public struct AlertingSettings: Sendable, Equatable {
    public var hooks: [HookDefinition] = []
    public var rules: [AlertRule] = []
    /// A dead-man's switch: pinged every `heartbeatIntervalMs` while stratcond and its
    /// database work, so a dead pipeline pages someone through the switch's own service.
    public var heartbeatURL: String?
    public var heartbeatIntervalMs: Int64 = 60_000
    /// The web UI's address as the on-call person reaches it, for links in pages.
    public var uiBaseURL: String?
    /// How often absence rules are judged.
    public var absenceIntervalMs: Int64 = 5_000
    /// How often learned detector state is saved (it is also saved at every alert
    /// transition and at shutdown).
    public var stateSaveIntervalMs: Int64 = 300_000
    /// How often Alertmanager hooks get open alerts again (Alertmanager forgets an alert
    /// that is not re-sent before its endsAt).
    public var alertmanagerResendMs: Int64 = 60_000
    public var retry = RetryPolicy()

    public init() {}
}
