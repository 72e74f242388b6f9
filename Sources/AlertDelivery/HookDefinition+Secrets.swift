extension HookDefinition {
    /// Strings that must never appear in logs or stored messages, whatever a receiver echoes back.
    var secrets: [String] {
        switch kind {
        case .pagerDuty(let url, let routingKey):
            return [routingKey, url] + Self.sensitiveParts(of: url)
        case .webhook(let url, let headers):
            return Array(headers.values) + [url] + Self.sensitiveParts(of: url)
        case .alertmanager(let url, _):
            return [url] + Self.sensitiveParts(of: url)
        case .command:
            return []
        }
    }

    private static func sensitiveParts(of url: String) -> [String] {
        (try? HookURL(url, hookName: "-"))?.sensitiveParts ?? []
    }

    /// Where requests go, in a form safe to log (see ``HookURL/logDescription``).
    var logDestination: String {
        switch kind {
        case .pagerDuty(let url, _), .webhook(let url, _), .alertmanager(let url, _):
            return (try? HookURL(url, hookName: name))?.logDescription ?? "(invalid URL)"
        case .command(let path, _, _):
            return path
        }
    }
}
