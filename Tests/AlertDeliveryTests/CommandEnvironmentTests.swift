import Testing

@testable import AlertDelivery

@Suite("Command hook environment")
struct CommandEnvironmentTests {
    let hook = HookDefinition(name: "script", kind: .command(path: "/usr/local/bin/page-me", arguments: ["--quiet", "two words"], timeoutMs: 5_000))

    @Test func triggerEnvironment() throws {
        let request = try HookRequestBuilder.request(for: .sample(), hook: hook, nowMs: 0)
        guard case .command(let path, let arguments, var environment) = request else {
            Issue.record("expected a command request")
            return
        }
        #expect(path == "/usr/local/bin/page-me")
        #expect(arguments == ["--quiet", "two words"])
        #expect(environment["PATH"] == nil, "PATH is added by the sender, not the pure builder")

        let removed = environment.removeValue(forKey: "ALERT_JSON")
        let json = try #require(removed)
        #expect(
            environment == [
                "ALERT_KEY": "rule-disk/0b7c3f4e-check/df`used_percent",
                "ALERT_ACTION": "trigger",
                "ALERT_RULE": "disk-almost-full",
                "ALERT_SEVERITY": "critical",
                "ALERT_SUMMARY": "Disk / on db1 is 97.5% full",
                "ALERT_CHECK_UUID": "0b7c3f4e-6a8b-4d47-9a35-6c1c4bd2b9a1",
                "ALERT_CHECK_NAME": "db1 disk",
                "ALERT_TARGET": "10.1.2.3",
                "ALERT_MODULE": "snmp",
                "ALERT_METRIC": "df`used_percent",
                "ALERT_VALUE": "97.5",
                "ALERT_OPENED_AT": "2024-05-01T12:34:56.789Z",
                "ALERT_RESOLVED_AT": "",
                "ALERT_SOURCE": "noit-1.example.net",
                "ALERT_LINK": "https://stratcon.example.net/checks/0b7c3f4e?tab=graphs",
            ])
        // ALERT_JSON is the webhook body, byte for byte.
        let webhookHook = HookDefinition(name: "w", kind: .webhook(url: "http://127.0.0.1/", headers: [:]))
        let webhookBody = try HookRequestBuilder.request(for: .sample(), hook: webhookHook, nowMs: 0).httpParts().body
        #expect(Array(json.utf8) == webhookBody)
    }

    @Test func resolveEnvironmentWithoutOptionalFields() throws {
        var notification = AlertNotification.sample(action: .resolve)
        notification.metric = nil
        notification.value = nil
        notification.link = nil
        notification.summary = "with\u{0}nul"
        guard case .command(_, _, let environment) = try HookRequestBuilder.request(for: notification, hook: hook, nowMs: 0) else {
            Issue.record("expected a command request")
            return
        }
        #expect(environment["ALERT_ACTION"] == "resolve")
        #expect(environment["ALERT_RESOLVED_AT"] == "2024-05-01T12:39:56.789Z")
        #expect(environment["ALERT_METRIC"] == "")
        #expect(environment["ALERT_VALUE"] == "")
        #expect(environment["ALERT_LINK"] == "")
        #expect(environment["ALERT_SUMMARY"] == "withnul", "execve cannot carry NUL")
        let json = try TestJSON.object(try #require(environment["ALERT_JSON"]))
        #expect(json["summary"] as? String == "with\u{0}nul", "JSON escapes it instead")
    }
}
