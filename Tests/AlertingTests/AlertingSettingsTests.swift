import AlertDelivery
import Alerting
import Foundation
import NoitConfig
import Testing

@Suite("stratcon.conf <alerting>: hooks, rules, heartbeat")
struct AlertingSettingsTests {
    static func parse(_ xml: String) throws -> (AlertingSettings, [String]) {
        let document = try ConfigDocument(xml: "<stratcon>\(xml)</stratcon>", sourceName: "stratcon.conf", root: "stratcon")
        let root = document.tree()
        var problems = [String]()
        let node = try #require(root.children.first { $0.name == "alerting" })
        let settings = AlertingSettings(xml: node, report: { element, message in problems.append("line \(element.line) \(element.label): \(message)") })
        return (settings, problems)
    }

    @Test("every hook type, a rule and the heartbeat are read")
    func complete() throws {
        let (settings, problems) = try Self.parse("""
            <alerting ui_url="http://stratcon.example:8080/" state_interval="10m">
              <heartbeat url="https://switch.example/ping/abc" interval="30s"/>
              <retry initial="500ms" max="2m"/>
              <hooks>
                <hook name="pager" type="pagerduty" routing_key="R0UT1NG" url="http://127.0.0.1:9/v2/enqueue"/>
                <hook name="am" type="alertmanager" url="http://127.0.0.1:9093"/>
                <hook name="ops" type="webhook" url="https://ops.example/hook"><header name="Authorization" value="Bearer x"/></hook>
                <hook name="script" type="command" path="/bin/echo" timeout="5s"><arg>--urgent</arg><arg>two words</arg></hook>
              </hooks>
              <rules>
                <rule name="down" type="status" severity="critical" on="unavailable" consecutive="2" hooks="pager"/>
              </rules>
            </alerting>
            """)
        #expect(problems == [])
        #expect(settings.uiBaseURL == "http://stratcon.example:8080")
        #expect(settings.stateSaveIntervalMs == 600_000)
        #expect(settings.heartbeatURL == "https://switch.example/ping/abc")
        #expect(settings.heartbeatIntervalMs == 30_000)
        #expect(settings.retry.initialDelayMs == 500)
        #expect(settings.retry.maximumDelayMs == 120_000)
        #expect(settings.hooks.map(\.name) == ["pager", "am", "ops", "script"])
        #expect(settings.hooks[0].kind == .pagerDuty(url: "http://127.0.0.1:9/v2/enqueue", routingKey: "R0UT1NG"))
        #expect(settings.hooks[2].kind == .webhook(url: "https://ops.example/hook", headers: ["Authorization": "Bearer x"]))
        #expect(settings.hooks[3].kind == .command(path: "/bin/echo", arguments: ["--urgent", "two words"], timeoutMs: 5_000))
        #expect(settings.rules.map(\.name) == ["down"])
        #expect(settings.rules[0].statusProblems == [.unavailable])
    }

    @Test("problems name their element and line")
    func problems() throws {
        let (_, problems) = try Self.parse("""
            <alerting>
              <hooks>
                <hook name="p" type="pagerduty"/>
                <hook name="x" type="carrier-pigeon"/>
                <hook name="c" type="command" path=""/>
              </hooks>
              <rules>
                <rule name="r" type="threshold" metric="m" above="1" hooks="nowhere"/>
                <rule name="r" type="threshold" metric="m" above="2"/>
                <rule name="q" type="anomaly"/>
              </rules>
              <colour/>
            </alerting>
            """)
        let text = problems.joined(separator: "\n")
        #expect(text.contains("line 3 <hook type=\"pagerduty\">: routing_key is required"))
        #expect(text.contains("type must be pagerduty, webhook, alertmanager or command"))
        #expect(text.contains("path must name the program to run"))
        #expect(text.contains("a rule named 'r' is already defined at line 8"))
        #expect(text.contains("metric is required for an anomaly rule"))
        #expect(text.contains("names hook 'nowhere', which is not defined"))
        #expect(text.contains("unknown element <colour>"))
    }
}
