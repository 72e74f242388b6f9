import AlertDelivery
import Foundation
import NoitConfig

extension AlertingSettings {
    /// Reads `<alerting>`; problems go to `report` with their element, all at once.
    ///
    /// ```xml
    /// <alerting ui_url="http://127.0.0.1:8080">
    ///   <heartbeat url="https://switch.example/ping/abc" interval="60s"/>
    ///   <retry initial="1s" max="5m"/>
    ///   <hooks>
    ///     <hook name="pager" type="pagerduty" routing_key="…"/>
    ///     <hook name="am" type="alertmanager" url="http://127.0.0.1:9093"/>
    ///     <hook name="ops" type="webhook" url="https://ops.example/hook"><header name="Authorization" value="…"/></hook>
    ///     <hook name="script" type="command" path="/usr/local/bin/page" timeout="10s"><arg>--urgent</arg></hook>
    ///   </hooks>
    ///   <rules>
    ///     <rule name="slow-web" type="threshold" module="http" metric="duration" above="2000" clear="1500" consecutive="3"/>
    ///   </rules>
    /// </alerting>
    /// ```
    /// Relative command paths are taken from `directory` (stratcon.conf's own).
    public init(xml node: ConfigNode, directory: String = "", report: (ConfigNode, String) -> Void) {
        self.init()
        func allow(_ element: ConfigNode, _ names: [String]) {
            for attribute in element.attributes where !names.contains(attribute.name) {
                report(element, "unknown attribute '\(attribute.name)' (allowed: \(names.joined(separator: ", ")))")
            }
        }
        func duration(_ element: ConfigNode, _ name: String) -> Int64? {
            guard let text = element.attribute(name) else { return nil }
            guard let value = AlertDurationText.milliseconds(text) else {
                report(element, "\(name) '\(text)' must be a duration such as 90s, 5m, 1h")
                return nil
            }
            return value
        }
        allow(node, ["ui_url", "state_interval", "absence_interval", "alertmanager_resend"])
        uiBaseURL = node.attribute("ui_url").map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        if let value = duration(node, "state_interval") { stateSaveIntervalMs = value }
        if let value = duration(node, "absence_interval") { absenceIntervalMs = value }
        if let value = duration(node, "alertmanager_resend") { alertmanagerResendMs = value }
        var seenHooks = Set<String>(), seenRules = [String: Int]()
        for child in node.children {
            switch child.name {
            case "heartbeat":
                allow(child, ["url", "interval"])
                guard let url = child.attribute("url"), url.hasPrefix("http://") || url.hasPrefix("https://") else {
                    report(child, "url must be an http:// or https:// address")
                    continue
                }
                heartbeatURL = url
                if let value = duration(child, "interval") { heartbeatIntervalMs = value }
            case "retry":
                allow(child, ["initial", "max"])
                if let value = duration(child, "initial") { retry.initialDelayMs = value }
                if let value = duration(child, "max") { retry.maximumDelayMs = value }
            case "hooks":
                for element in child.children {
                    guard element.name == "hook" else {
                        report(element, "unexpected element inside <hooks>; expected <hook>")
                        continue
                    }
                    guard let hook = Self.hook(element, directory: directory, report: report, allow: allow, duration: duration) else { continue }
                    if !seenHooks.insert(hook.name).inserted { report(element, "a hook named '\(hook.name)' is already defined") }
                    hooks.append(hook)
                }
            case "rules":
                for element in child.children {
                    guard element.name == "rule" else {
                        report(element, "unexpected element inside <rules>; expected <rule>")
                        continue
                    }
                    let attributes = Dictionary(element.attributes.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
                    do {
                        let rule = try AlertRule(attributes: attributes, source: .config)
                        if let line = seenRules[rule.name] {
                            report(element, "a rule named '\(rule.name)' is already defined at line \(line)")
                            continue
                        }
                        seenRules[rule.name] = element.line
                        rules.append(rule)
                    } catch {
                        for problem in error.problems { report(element, problem) }
                    }
                }
            default:
                report(child, "unknown element <\(child.name)> in <alerting> (expected: heartbeat, retry, hooks, rules)")
            }
        }
        for rule in rules {
            for name in rule.hooks ?? [] where !seenHooks.contains(name) {
                report(node, "rule '\(rule.name)' names hook '\(name)', which is not defined")
            }
        }
    }

    private static func hook(
        _ element: ConfigNode, directory: String, report: (ConfigNode, String) -> Void, allow: (ConfigNode, [String]) -> Void,
        duration: (ConfigNode, String) -> Int64?
    ) -> HookDefinition? {
        guard let name = element.attribute("name"), !name.isEmpty, name.count <= 100,
              name.allSatisfy({ AlertRule.nameCharacters.contains($0) })
        else {
            report(element, "name must be 1 to 100 letters, digits, '_', '.' or '-'")
            return nil
        }
        let timeout = duration(element, "timeout") ?? 10_000
        let kind: HookKind
        switch element.attribute("type") {
        case "pagerduty":
            allow(element, ["name", "type", "url", "routing_key", "timeout"])
            guard let key = element.attribute("routing_key"), !key.isEmpty else {
                report(element, "routing_key is required for a pagerduty hook")
                return nil
            }
            kind = .pagerDuty(url: element.attribute("url") ?? "https://events.pagerduty.com/v2/enqueue", routingKey: key)
        case "webhook":
            allow(element, ["name", "type", "url", "timeout"])
            var headers = [String: String]()
            for header in element.children where header.name == "header" {
                guard let headerName = header.attribute("name"), let value = header.attribute("value") else {
                    report(header, "a header needs name and value")
                    continue
                }
                headers[headerName] = value
            }
            kind = .webhook(url: element.attribute("url") ?? "", headers: headers)
        case "alertmanager":
            allow(element, ["name", "type", "url", "resolve_timeout", "timeout"])
            kind = .alertmanager(url: element.attribute("url") ?? "", resolveTimeoutMs: duration(element, "resolve_timeout") ?? 300_000)
        case "command":
            allow(element, ["name", "type", "path", "timeout"])
            guard var path = element.attribute("path"), !path.isEmpty, path.hasPrefix("/") || !directory.isEmpty else {
                report(element, "path must name the program to run (absolute, or relative to stratcon.conf)")
                return nil
            }
            if !path.hasPrefix("/") { path = URL(fileURLWithPath: directory).appendingPathComponent(path).standardizedFileURL.path }
            let arguments = element.children.filter { $0.name == "arg" }.map(\.text)
            kind = .command(path: path, arguments: arguments, timeoutMs: timeout)
        default:
            report(element, "type must be pagerduty, webhook, alertmanager or command")
            return nil
        }
        let hook = HookDefinition(name: name, kind: kind, timeoutMs: timeout)
        do {
            try hook.validate()
        } catch {
            report(element, "\(error)")
            return nil
        }
        return hook
    }
}
