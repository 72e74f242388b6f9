import Testing

@testable import AlertDelivery

@Suite("PagerDuty Events API v2 payloads")
struct PagerDutyPayloadTests {
    let hook = HookDefinition(name: "pd", kind: .pagerDuty(routingKey: "R0UT1NGKEY0123456789abcdefABCDEF"))

    @Test func triggerBodyHasEveryField() throws {
        let request = try HookRequestBuilder.request(for: .sample(), hook: hook, nowMs: 0)
        let (method, url, headers, body) = try request.httpParts()
        #expect(method == "POST")
        #expect(url == "https://events.pagerduty.com/v2/enqueue")
        #expect(headers["content-type"] == "application/json")

        let json = try TestJSON.object(body)
        #expect(Set(json.keys) == ["routing_key", "event_action", "dedup_key", "payload", "links"])
        #expect(json["routing_key"] as? String == "R0UT1NGKEY0123456789abcdefABCDEF")
        #expect(json["event_action"] as? String == "trigger")
        #expect(json["dedup_key"] as? String == "rule-disk/0b7c3f4e-check/df`used_percent")

        let payload = try #require(json["payload"] as? [String: Any])
        #expect(Set(payload.keys) == ["summary", "source", "severity", "timestamp", "component", "group", "class", "custom_details"])
        #expect(payload["summary"] as? String == "Disk / on db1 is 97.5% full")
        #expect(payload["source"] as? String == "noit-1.example.net")
        #expect(payload["severity"] as? String == "critical")
        #expect(payload["timestamp"] as? String == "2024-05-01T12:34:56.789Z")
        #expect(payload["component"] as? String == "db1 disk")
        #expect(payload["group"] as? String == "10.1.2.3")
        #expect(payload["class"] as? String == "disk-almost-full")

        let custom = try #require(payload["custom_details"] as? [String: Any])
        #expect(Set(custom.keys) == ["check_uuid", "module", "metric", "value", "kind", "band"])
        #expect(custom["check_uuid"] as? String == "0b7c3f4e-6a8b-4d47-9a35-6c1c4bd2b9a1")
        #expect(custom["module"] as? String == "snmp", "core fields win over same-named details")
        #expect(custom["metric"] as? String == "df`used_percent")
        #expect(custom["value"] as? Double == 97.5)
        #expect(custom["kind"] as? String == "threshold")
        #expect(custom["band"] as? String == "95..100")

        let links = try #require(json["links"] as? [[String: Any]])
        #expect(links.count == 1)
        #expect(links.first?["href"] as? String == "https://stratcon.example.net/checks/0b7c3f4e?tab=graphs")
        #expect(links.first?["text"] as? String == "Check in Reconnoiter")
    }

    @Test func triggerWithoutOptionalFields() throws {
        var notification = AlertNotification.sample()
        notification.metric = nil
        notification.value = nil
        notification.link = nil
        notification.details = [:]
        let json = try TestJSON.object(try HookRequestBuilder.request(for: notification, hook: hook, nowMs: 0).httpParts().body)
        #expect(json["links"] == nil)
        let payload = try #require(json["payload"] as? [String: Any])
        let custom = try #require(payload["custom_details"] as? [String: Any])
        #expect(Set(custom.keys) == ["check_uuid", "module"])
    }

    @Test func emptySummaryAndSourceGetFallbacks() throws {
        var notification = AlertNotification.sample()
        notification.summary = ""
        notification.source = ""
        let json = try TestJSON.object(try HookRequestBuilder.request(for: notification, hook: hook, nowMs: 0).httpParts().body)
        let payload = try #require(json["payload"] as? [String: Any])
        #expect(payload["summary"] as? String == "disk-almost-full on db1 disk (10.1.2.3)")
        #expect(payload["source"] as? String == "10.1.2.3")
    }

    @Test func nonFiniteValueIsSentAsText() throws {
        var notification = AlertNotification.sample()
        notification.value = .nan
        let json = try TestJSON.object(try HookRequestBuilder.request(for: notification, hook: hook, nowMs: 0).httpParts().body)
        let custom = try #require((json["payload"] as? [String: Any])?["custom_details"] as? [String: Any])
        #expect(custom["value"] as? String == "NaN")
    }

    @Test func resolveCarriesOnlyTheKeyFields() throws {
        let request = try HookRequestBuilder.request(for: .sample(action: .resolve), hook: hook, nowMs: 0)
        let json = try TestJSON.object(try request.httpParts().body)
        #expect(Set(json.keys) == ["routing_key", "event_action", "dedup_key"])
        #expect(json["routing_key"] as? String == "R0UT1NGKEY0123456789abcdefABCDEF")
        #expect(json["event_action"] as? String == "resolve")
        #expect(json["dedup_key"] as? String == "rule-disk/0b7c3f4e-check/df`used_percent")
    }

    @Test func bodyIsDeterministic() throws {
        let first = try HookRequestBuilder.request(for: .sample(), hook: hook, nowMs: 0)
        let second = try HookRequestBuilder.request(for: .sample(), hook: hook, nowMs: 99)
        #expect(first == second)
    }

    @Test func summaryIsCutOnACharacterBoundaryWithMultiByteText() throws {
        // "e" + COMBINING ACUTE is one Character of two scalars; the family emoji is one Character
        // of five scalars and eight UTF-16 units; "日" is three UTF-8 bytes.
        let unit = "ab👩‍👩‍👧e\u{301}日"
        let original = String(repeating: unit, count: 200)
        var notification = AlertNotification.sample()
        notification.summary = original

        let json = try TestJSON.object(try HookRequestBuilder.request(for: notification, hook: hook, nowMs: 0).httpParts().body)
        let summary = try #require((json["payload"] as? [String: Any])?["summary"] as? String)
        #expect(summary.utf16.count <= 1_024)
        #expect(summary.count <= 1_024)
        #expect(summary.unicodeScalars.count <= 1_024)
        #expect(summary.hasSuffix("…"))
        let kept = Array(summary.dropLast())
        #expect(kept == Array(Array(original)[0..<kept.count]), "the kept part is whole Characters of the original")
        // Greedy: the next Character would not have fitted.
        let next = Array(original)[kept.count]
        #expect(String(kept).utf16.count + next.utf16.count + 1 > 1_024)
    }

    @Test func shortSummaryIsUnchanged() {
        #expect(PagerDutyLimits.summary("exactly as written 🙂") == "exactly as written 🙂")
        let limit = String(repeating: "x", count: 1_024)
        #expect(PagerDutyLimits.summary(limit) == limit)
        #expect(PagerDutyLimits.summary(limit + "y").utf16.count == 1_024)
    }

    @Test func longDedupKeyIsShortenedDeterministically() throws {
        let longA = String(repeating: "rule/check/metric-", count: 20) + "ä-tail-A"
        let longB = String(repeating: "rule/check/metric-", count: 20) + "ä-tail-B"
        let shortA = PagerDutyLimits.dedupKey(longA)
        #expect(shortA.utf8.count <= 255)
        #expect(shortA == PagerDutyLimits.dedupKey(longA))
        #expect(shortA != PagerDutyLimits.dedupKey(longB), "keys sharing a long prefix stay distinct")
        #expect(shortA.hasPrefix("rule/check/metric-"))
        #expect(shortA.hasSuffix("~" + SHA256.hexDigest(Array(longA.utf8))))

        var notification = AlertNotification.sample(dedupKey: longA)
        let trigger = try TestJSON.object(try HookRequestBuilder.request(for: notification, hook: hook, nowMs: 0).httpParts().body)
        #expect(trigger["dedup_key"] as? String == shortA)
        let custom = try #require((trigger["payload"] as? [String: Any])?["custom_details"] as? [String: Any])
        #expect(custom["dedup_key"] as? String == longA, "the full key stays visible to responders")

        notification.action = .resolve
        let resolve = try TestJSON.object(try HookRequestBuilder.request(for: notification, hook: hook, nowMs: 0).httpParts().body)
        #expect(resolve["dedup_key"] as? String == shortA, "a resolve matches its trigger")
    }

    @Test func dedupKeyAtTheLimitIsUnchanged() {
        let key = String(repeating: "k", count: 255)
        #expect(PagerDutyLimits.dedupKey(key) == key)
        let multiByte = String(repeating: "é", count: 128)  // 256 bytes
        #expect(PagerDutyLimits.dedupKey(multiByte).utf8.count <= 255)
        #expect(PagerDutyLimits.dedupKey(multiByte) != multiByte)
    }
}
