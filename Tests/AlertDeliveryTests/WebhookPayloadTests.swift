import Foundation
import Testing

@testable import AlertDelivery

@Suite("Webhook payloads")
struct WebhookPayloadTests {
    let hook = HookDefinition(
        name: "ops-webhook",
        kind: .webhook(url: "https://hooks.example.net/alerts", headers: ["Authorization": "Bearer t0ken", "X-Team": "ops", "content-type": "application/vnd.alert+json"])
    )

    @Test func triggerBodyHasEveryFieldInSnakeCase() throws {
        let (method, url, headers, body) = try HookRequestBuilder.request(for: .sample(), hook: hook, nowMs: 0).httpParts()
        #expect(method == "POST")
        #expect(url == "https://hooks.example.net/alerts")
        #expect(headers["Authorization"] == "Bearer t0ken")
        #expect(headers["X-Team"] == "ops")
        #expect(headers["Content-Type"] == "application/vnd.alert+json", "configured headers override the default")
        #expect(headers.filter { $0.name.lowercased() == "content-type" }.count == 1)

        let json = try TestJSON.object(body)
        #expect(
            Set(json.keys) == [
                "dedup_key", "action", "rule", "severity", "summary", "check_uuid", "check_name", "target", "module",
                "metric", "value", "opened_at", "resolved_at", "source", "link", "details",
            ])
        #expect(json["dedup_key"] as? String == "rule-disk/0b7c3f4e-check/df`used_percent")
        #expect(json["action"] as? String == "trigger")
        #expect(json["rule"] as? String == "disk-almost-full")
        #expect(json["severity"] as? String == "critical")
        #expect(json["summary"] as? String == "Disk / on db1 is 97.5% full")
        #expect(json["check_uuid"] as? String == "0b7c3f4e-6a8b-4d47-9a35-6c1c4bd2b9a1")
        #expect(json["check_name"] as? String == "db1 disk")
        #expect(json["target"] as? String == "10.1.2.3")
        #expect(json["module"] as? String == "snmp")
        #expect(json["metric"] as? String == "df`used_percent")
        #expect(json["value"] as? Double == 97.5)
        #expect(json["opened_at"] as? String == "2024-05-01T12:34:56.789Z")
        #expect(json["resolved_at"] is NSNull)
        #expect(json["source"] as? String == "noit-1.example.net")
        #expect(json["link"] as? String == "https://stratcon.example.net/checks/0b7c3f4e?tab=graphs")
        #expect(json["details"] as? [String: String] == ["kind": "threshold", "band": "95..100", "module": "shadowed-by-core-field"])
    }

    @Test func resolveWithoutOptionalFieldsUsesNulls() throws {
        var notification = AlertNotification.sample(action: .resolve)
        notification.metric = nil
        notification.value = nil
        notification.link = nil
        let json = try TestJSON.object(try HookRequestBuilder.request(for: notification, hook: hook, nowMs: 0).httpParts().body)
        #expect(json["action"] as? String == "resolve")
        #expect(json["resolved_at"] as? String == "2024-05-01T12:39:56.789Z")
        #expect(json["metric"] is NSNull)
        #expect(json["value"] is NSNull)
        #expect(json["link"] is NSNull)
    }

    @Test func textIsEscapedProperly() throws {
        var notification = AlertNotification.sample()
        notification.summary = "quote \" backslash \\ newline \n tab \t nul \u{0} emoji 🙂 </script>"
        let body = try HookRequestBuilder.request(for: notification, hook: hook, nowMs: 0).httpParts().body
        let json = try TestJSON.object(body)
        #expect(json["summary"] as? String == notification.summary)
    }
}

@Suite("URL userinfo")
struct URLUserinfoTests {
    @Test func userinfoBecomesBasicAuthorization() throws {
        let hook = HookDefinition(name: "am", kind: .alertmanager(url: "https://alert%40ops:pa55%3Aword@am.example.net", resolveTimeoutMs: nil))
        let headers = try HookRequestBuilder.request(for: .sample(), hook: hook, nowMs: 0).httpParts().headers
        // base64("alert@ops:pa55:word")
        #expect(headers["Authorization"] == "Basic YWxlcnRAb3BzOnBhNTU6d29yZA==")
        #expect(hook.secrets.contains("pa55:word"))
    }

    @Test func configuredAuthorizationWins() throws {
        let hook = HookDefinition(name: "w", kind: .webhook(url: "https://u:p@hooks.example.net/x", headers: ["authorization": "Bearer abc"]))
        let headers = try HookRequestBuilder.request(for: .sample(), hook: hook, nowMs: 0).httpParts().headers
        #expect(headers.filter { $0.name.lowercased() == "authorization" }.map(\.value) == ["Bearer abc"])
    }

    @Test func noUserinfoNoAuthorization() throws {
        let hook = HookDefinition(name: "pd", kind: .pagerDuty(routingKey: "k"))
        #expect(try HookRequestBuilder.request(for: .sample(), hook: hook, nowMs: 0).httpParts().headers["Authorization"] == nil)
    }
}
