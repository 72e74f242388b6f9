extension HookRequestBuilder {
    static func alertmanagerAlertsURL(base: String) -> String {
        var trimmed = Substring(base)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return trimmed + "/api/v2/alerts"
    }

    /// A JSON array with one alert.
    ///
    /// Labels identify the alert inside Alertmanager, so only stable identifying fields go there;
    /// the free-form details become annotations. Alertmanager refuses an alert whose `endsAt` is
    /// before its `startsAt`, so `endsAt` is clamped to `startsAt` (clock skew between nodes).
    static func alertmanagerBody(for notification: AlertNotification, resolveTimeoutMs: Int64?, nowMs: Int64) -> JSONValue {
        var labels: [String: String] = [
            "alertname": notification.rule,
            "severity": notification.severity.rawValue,
            "check": notification.checkName,
            "check_uuid": notification.checkUUID,
            "target": notification.target,
            "module": notification.module,
            "dedup_key": notification.dedupKey,
        ]
        if let metric = notification.metric { labels["metric"] = metric }

        var annotations = notification.details
        annotations["summary"] = notification.summary
        if let value = notification.value { annotations["value"] = value.alertText }

        var alert: [String: JSONValue] = [
            "labels": .strings(labels),
            "annotations": .strings(annotations),
            "startsAt": .string(RFC3339.string(fromEpochMilliseconds: notification.openedAtMs)),
        ]
        let endsAtMs: Int64?
        switch notification.action {
        case .resolve:
            endsAtMs = notification.resolvedAtMs ?? nowMs
        case .trigger:
            endsAtMs = resolveTimeoutMs.map { nowMs.addingReportingOverflow($0).overflow ? Int64.max : nowMs + $0 }
        }
        if let endsAtMs {
            alert["endsAt"] = .string(RFC3339.string(fromEpochMilliseconds: max(endsAtMs, notification.openedAtMs)))
        }
        if let link = notification.link { alert["generatorURL"] = .string(link) }
        return .array([.object(alert)])
    }
}
