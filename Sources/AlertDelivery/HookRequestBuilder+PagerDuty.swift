extension HookRequestBuilder {
    /// The Events API v2 event. A resolve carries only the routing key, action and dedup key:
    /// PagerDuty ignores a resolve's payload, and leaving it out means a resolve can never be
    /// refused for a payload problem (a resolve must always get through).
    static func pagerDutyBody(for notification: AlertNotification, routingKey: String) -> JSONValue {
        let dedupKey = PagerDutyLimits.dedupKey(notification.dedupKey)
        var event: [String: JSONValue] = [
            "routing_key": .string(routingKey),
            "event_action": .string(notification.action.rawValue),
            "dedup_key": .string(dedupKey),
        ]
        guard notification.action == .trigger else { return .object(event) }

        var custom = notification.details.mapValues(JSONValue.string)
        // The notification's own fields win over same-named details.
        custom["check_uuid"] = .string(notification.checkUUID)
        custom["module"] = .string(notification.module)
        if let metric = notification.metric { custom["metric"] = .string(metric) }
        if notification.value != nil { custom["value"] = .measurement(notification.value) }
        if dedupKey != notification.dedupKey { custom["dedup_key"] = .string(notification.dedupKey) }

        event["payload"] = .object([
            "summary": .string(PagerDutyLimits.summary(pagerDutySummary(notification))),
            "source": .string(pagerDutySource(notification)),
            "severity": .string(notification.severity.rawValue),
            "timestamp": .string(RFC3339.string(fromEpochMilliseconds: notification.openedAtMs)),
            "component": .string(notification.checkName),
            "group": .string(notification.target),
            "class": .string(notification.rule),
            "custom_details": .object(custom),
        ])
        if let link = notification.link {
            event["links"] = .array([.object(["href": .string(link), "text": .string("Check in Reconnoiter")])])
        }
        return .object(event)
    }

    /// PagerDuty requires a non-empty summary; an empty one would turn a page into a 400.
    static func pagerDutySummary(_ notification: AlertNotification) -> String {
        if !notification.summary.isEmpty { return notification.summary }
        return "\(notification.rule) on \(notification.checkName) (\(notification.target))"
    }

    /// PagerDuty requires a non-empty source.
    static func pagerDutySource(_ notification: AlertNotification) -> String {
        if !notification.source.isEmpty { return notification.source }
        if !notification.target.isEmpty { return notification.target }
        return "stratcond"
    }
}
