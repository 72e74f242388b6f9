extension HookRequestBuilder {
    /// The alert as `ALERT_*` variables plus the webhook JSON in `ALERT_JSON`.
    ///
    /// Optional fields are set to the empty string rather than left out, so scripts running with
    /// `set -u` do not die on a resolve or a status rule. `ALERT_KEY` is the dedup key unshortened.
    /// NUL characters are dropped: `execve` cannot carry them, and one stray NUL in a summary
    /// must not make the hook fail forever.
    static func commandEnvironment(for notification: AlertNotification) throws -> [String: String] {
        let json = try webhookBody(for: notification).encoded()
        let environment: [String: String] = [
            "ALERT_KEY": notification.dedupKey,
            "ALERT_ACTION": notification.action.rawValue,
            "ALERT_RULE": notification.rule,
            "ALERT_SEVERITY": notification.severity.rawValue,
            "ALERT_SUMMARY": notification.summary,
            "ALERT_CHECK_UUID": notification.checkUUID,
            "ALERT_CHECK_NAME": notification.checkName,
            "ALERT_TARGET": notification.target,
            "ALERT_MODULE": notification.module,
            "ALERT_METRIC": notification.metric ?? "",
            "ALERT_VALUE": notification.value?.alertText ?? "",
            "ALERT_OPENED_AT": RFC3339.string(fromEpochMilliseconds: notification.openedAtMs),
            "ALERT_RESOLVED_AT": notification.resolvedAtMs.map(RFC3339.string(fromEpochMilliseconds:)) ?? "",
            "ALERT_SOURCE": notification.source,
            "ALERT_LINK": notification.link ?? "",
            "ALERT_JSON": String(decoding: json, as: UTF8.self),
        ]
        return environment.mapValues { value in
            guard value.utf8.contains(0) else { return value }
            var scalars = String.UnicodeScalarView()
            scalars.append(contentsOf: value.unicodeScalars.lazy.filter { $0.value != 0 })
            return String(scalars)
        }
    }
}
