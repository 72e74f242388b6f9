extension HookRequestBuilder {
    /// Every notification field in snake_case. Optional fields are present as `null` rather than
    /// missing, so receivers see one fixed schema.
    static func webhookBody(for notification: AlertNotification) -> JSONValue {
        .object([
            "dedup_key": .string(notification.dedupKey),
            "action": .string(notification.action.rawValue),
            "rule": .string(notification.rule),
            "severity": .string(notification.severity.rawValue),
            "summary": .string(notification.summary),
            "check_uuid": .string(notification.checkUUID),
            "check_name": .string(notification.checkName),
            "target": .string(notification.target),
            "module": .string(notification.module),
            "metric": .optional(notification.metric),
            "value": .measurement(notification.value),
            "opened_at": .string(RFC3339.string(fromEpochMilliseconds: notification.openedAtMs)),
            "resolved_at": .optional(notification.resolvedAtMs.map(RFC3339.string(fromEpochMilliseconds:))),
            "source": .string(notification.source),
            "link": .optional(notification.link),
            "details": .strings(notification.details),
        ])
    }
}
