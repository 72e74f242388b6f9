import Testing

@testable import AlertDelivery

@Suite("Alertmanager payloads")
struct AlertmanagerPayloadTests {
    let nowMs: Int64 = 1_714_566_956_789  // one minute after opening

    func alert(_ notification: AlertNotification, resolveTimeoutMs: Int64?, base: String = "http://127.0.0.1:9093") throws -> (url: String, alert: [String: Any]) {
        let hook = HookDefinition(name: "am", kind: .alertmanager(url: base, resolveTimeoutMs: resolveTimeoutMs))
        let (method, url, headers, body) = try HookRequestBuilder.request(for: notification, hook: hook, nowMs: nowMs).httpParts()
        #expect(method == "POST")
        #expect(headers["Content-Type"] == "application/json")
        let array = try TestJSON.array(body)
        #expect(array.count == 1)
        return (url, try #require(array.first as? [String: Any]))
    }

    @Test func triggerWithResolveTimeout() throws {
        let (url, alert) = try alert(.sample(), resolveTimeoutMs: 300_000)
        #expect(url == "http://127.0.0.1:9093/api/v2/alerts")
        #expect(Set(alert.keys) == ["labels", "annotations", "startsAt", "endsAt", "generatorURL"])
        #expect(
            alert["labels"] as? [String: String] == [
                "alertname": "disk-almost-full",
                "severity": "critical",
                "check": "db1 disk",
                "check_uuid": "0b7c3f4e-6a8b-4d47-9a35-6c1c4bd2b9a1",
                "target": "10.1.2.3",
                "module": "snmp",
                "metric": "df`used_percent",
                "dedup_key": "rule-disk/0b7c3f4e-check/df`used_percent",
            ])
        #expect(
            alert["annotations"] as? [String: String] == [
                "summary": "Disk / on db1 is 97.5% full",
                "value": "97.5",
                "kind": "threshold",
                "band": "95..100",
                "module": "shadowed-by-core-field",
            ])
        #expect(alert["startsAt"] as? String == "2024-05-01T12:34:56.789Z")
        #expect(alert["endsAt"] as? String == "2024-05-01T12:40:56.789Z", "now + resolve timeout")
        #expect(alert["generatorURL"] as? String == "https://stratcon.example.net/checks/0b7c3f4e?tab=graphs")
    }

    @Test func triggerWithoutResolveTimeoutHasNoEndsAt() throws {
        var notification = AlertNotification.sample()
        notification.metric = nil
        notification.link = nil
        notification.value = 42
        notification.details = ["description": "no data for 5 minutes"]
        let (url, alert) = try alert(notification, resolveTimeoutMs: nil, base: "https://am.example.net/prefix/")
        #expect(url == "https://am.example.net/prefix/api/v2/alerts")
        #expect(Set(alert.keys) == ["labels", "annotations", "startsAt"])
        let labels = try #require(alert["labels"] as? [String: String])
        #expect(labels["metric"] == nil)
        #expect(
            alert["annotations"] as? [String: String] == [
                "summary": "Disk / on db1 is 97.5% full", "value": "42", "description": "no data for 5 minutes",
            ])
    }

    @Test func resolveEndsAtResolvedTime() throws {
        let (_, alert) = try alert(.sample(action: .resolve), resolveTimeoutMs: 300_000)
        #expect(alert["startsAt"] as? String == "2024-05-01T12:34:56.789Z")
        #expect(alert["endsAt"] as? String == "2024-05-01T12:39:56.789Z")
        #expect((alert["labels"] as? [String: String])?["dedup_key"] == "rule-disk/0b7c3f4e-check/df`used_percent")
    }

    @Test func resolveBeforeOpenIsClampedToStart() throws {
        var notification = AlertNotification.sample(action: .resolve)
        notification.resolvedAtMs = AlertNotification.sampleOpenedAtMs - 5_000
        let (_, alert) = try alert(notification, resolveTimeoutMs: nil)
        #expect(alert["endsAt"] as? String == alert["startsAt"] as? String)
    }

    @Test func resolveWithoutResolvedTimeUsesNow() throws {
        var notification = AlertNotification.sample(action: .resolve)
        notification.resolvedAtMs = nil
        let (_, alert) = try alert(notification, resolveTimeoutMs: nil)
        #expect(alert["endsAt"] as? String == "2024-05-01T12:35:56.789Z")
    }
}
