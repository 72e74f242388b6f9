import AlertDelivery
import Alerting
import Foundation
import Testing

@Suite("Alert rules: attributes in, validated rules out")
struct RuleParsingTests {
    @Test("a threshold rule with hysteresis and persistence round-trips through its attributes")
    func thresholdRoundTrip() throws {
        let attributes = ["name": "slow-web", "type": "threshold", "severity": "critical", "module": "http", "target": "10.*",
                          "metric": "duration", "above": "2000", "clear": "1500", "for": "5m", "consecutive": "3", "hooks": "pager,am"]
        let rule = try AlertRule(attributes: attributes, source: .config)
        #expect(rule.kind == .threshold)
        #expect(rule.direction == .above)
        #expect(rule.level == 2000)
        #expect(rule.clearLevel == 1500)
        #expect(rule.forMilliseconds == 300_000)
        #expect(rule.consecutive == 3)
        #expect(rule.hooks == ["pager", "am"])
        #expect(rule.severity == .critical)
        #expect(rule.attributes == attributes)
        #expect(try AlertRule(attributes: rule.attributes, source: .api).fingerprint == rule.fingerprint)
    }

    @Test("every problem of a bad rule is reported at once")
    func problemsTogether() {
        let attributes = ["name": "bad name!", "type": "threshold", "severity": "loud", "above": "x", "below": "3", "colour": "red"]
        #expect {
            try AlertRule(attributes: attributes, source: .api)
        } throws: { error in
            let problems = (error as? AlertRuleError)?.problems.joined(separator: "\n") ?? ""
            return problems.contains("name must be") && problems.contains("severity must be") && problems.contains("'x' must be a finite number")
                && problems.contains("unknown attribute 'colour'") && problems.contains("metric is required")
        }
    }

    @Test("each kind's required parameters", arguments: [
        (["name": "a", "type": "absence"], "window"),
        (["name": "a", "type": "forecast", "metric": "m", "above": "1", "horizon": "1d"], "window"),
        (["name": "a", "type": "forecast", "metric": "m", "above": "1", "window": "1d"], "horizon"),
        (["name": "a", "type": "anomaly"], "metric is required"),
        (["name": "a", "type": "anomaly", "metric": "m", "sensitivity": "0"], "sensitivity"),
        (["name": "a", "type": "status", "metric": "m"], "remove metric"),
        (["name": "a", "type": "status", "on": "sad"], "'sad' must be unavailable or bad"),
        (["name": "a", "type": "threshold", "metric": "m", "above": "10", "clear": "12"], "must not be above"),
        (["name": "a", "type": "threshold", "metric": "m", "below": "10", "clear": "8"], "must not be below"),
        (["name": "a", "type": "threshold", "metric": "m", "above": "10", "for": "soon"], "duration"),
        (["name": "a", "type": "threshold", "metric": "m", "above": "10", "checks": "not-a-uuid"], "is not a uuid"),
        (["name": "a", "type": "louder"], "type must be one of"),
    ])
    func requiredParameters(attributes: [String: String], expected: String) {
        #expect {
            try AlertRule(attributes: attributes, source: .api)
        } throws: { error in
            (error as? AlertRuleError)?.description.contains(expected) == true
        }
    }

    @Test("durations: units, combinations, milliseconds, and refusals")
    func durations() {
        #expect(AlertDurationText.milliseconds("90") == 90_000)
        #expect(AlertDurationText.milliseconds("90s") == 90_000)
        #expect(AlertDurationText.milliseconds("1h30m") == 5_400_000)
        #expect(AlertDurationText.milliseconds("250ms") == 250)
        #expect(AlertDurationText.milliseconds("2d") == 172_800_000)
        #expect(AlertDurationText.milliseconds("1w") == 604_800_000)
        for bad in ["", "0", "-5", "5x", "m", "1.5h", "99999999999", "5 m"] { #expect(AlertDurationText.milliseconds(bad) == nil, "\(bad)") }
        #expect(AlertDurationText.text(5_400_000) == "1h30m")
        #expect(AlertDurationText.text(250) == "250ms")
    }

    @Test("glob patterns: stars, question marks, literals, no exponential backtracking")
    func globs() {
        #expect(GlobPattern("web*").matches("web01"))
        #expect(GlobPattern("10.0.?.1").matches("10.0.3.1"))
        #expect(!GlobPattern("10.0.?.1").matches("10.0.33.1"))
        #expect(GlobPattern("*disk*used*").matches("/var disk space used %"))
        #expect(!GlobPattern("a*b").matches("acd"))
        #expect(GlobPattern("*").matches(""))
        #expect(GlobPattern("").matches(""))
        #expect(!GlobPattern("").matches("x"))
        let long = String(repeating: "a", count: 5000)
        #expect(!GlobPattern(String(repeating: "*a", count: 50) + "b").matches(long))
    }

    @Test("selectors: explicit checks, module, target, check name and metric must all match")
    func selectors() {
        let web = CheckInfo(uuid: UUID(), name: "web01", target: "10.0.0.1", module: "http", noit: "n")
        let db = CheckInfo(uuid: UUID(), name: "db01", target: "10.0.1.1", module: "postgres", noit: "n")
        let selector = RuleSelector(module: GlobPattern("http"), target: GlobPattern("10.0.0.*"), metric: GlobPattern("dur*"))
        #expect(selector.matches(web))
        #expect(!selector.matches(db))
        #expect(selector.matches(metric: "duration"))
        #expect(!selector.matches(metric: "code"))
        #expect(RuleSelector(checks: [db.uuid]).matches(db))
        #expect(!RuleSelector(checks: [db.uuid]).matches(web))
    }
}
