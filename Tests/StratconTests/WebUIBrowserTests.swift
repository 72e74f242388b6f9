import Foundation
import Hummingbird
import NoitCore
import NoitTestSupport
import PostgresNIO
import ServiceLifecycle
import Stratcon
import StratconAPI
import Testing

/// The web UI in a real browser: Debian's headless Chromium loads the check list, a check
/// page and the alerts page from stratcond's HTTP server over seeded data (the last three
/// hours, and for alerting, rules judged by a running engine), and the test
/// reads the rendered DOM and the browser's console. Screenshots go to test-output/web-ui/.
@Suite("Web UI in a headless browser")
struct WebUIBrowserTests {
    static let output: URL = {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        return root.appendingPathComponent("test-output/web-ui")
    }()

    struct Page {
        var dom: String
        var consoleLines: [String]
    }

    /// Renders `url` to its final DOM (after scripts ran) and, separately, to a PNG.
    static func load(_ url: String, screenshot: String) async throws -> Page {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: profile) }
        let common = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--user-data-dir=\(profile)", "--window-size=1280,1400", "--virtual-time-budget=15000",
            "--enable-logging=stderr", "--v=0",
        ]
        let dump = try ChildProcess(executable: "/usr/bin/chromium", arguments: common + ["--dump-dom", url])
        _ = await dump.waitForExit()
        let lines = dump.output
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let shot = try ChildProcess(
            executable: "/usr/bin/chromium", arguments: common + ["--screenshot=\(output.appendingPathComponent(screenshot).path)", url])
        _ = await shot.waitForExit()
        return Page(
            dom: lines.filter { !$0.contains(":INFO:") && !$0.contains(":ERROR:") && !$0.contains(":WARNING:") }.joined(separator: "\n"),
            consoleLines: lines.filter { $0.contains(":CONSOLE(") || $0.contains("Uncaught") })
    }

    @Test("the check list and a check page render with graphs, annotations and no console errors")
    func checkListAndPage() async throws {
        try await FreshDatabase.with { configuration, store in
            let minute: Int64 = 60_000
            let start = (Int64(Date().timeIntervalSince1970 * 1000) / minute - 180) * minute
            try await GraphAPITests.seed(store, start: start)
            let web = WebFiles.standard()
            #expect(web.dygraphsDirectory != nil, "libjs-dygraphs is not installed (scripts/setup.sh installs it)")
            try await GraphAPITests.serve(configuration, web: web, now: { Date() }) { port, _ in
                let base = "http://127.0.0.1:\(port)"

                let list = try await Self.load("\(base)/", screenshot: "check-list.png")
                #expect(list.dom.contains("data-ready=\"true\""))
                #expect(list.dom.components(separatedBy: "class=\"check-row").count - 1 == 2)
                // The name arrives as text: its markup is shown, never parsed.
                #expect(list.dom.contains("home &lt;b&gt;page&lt;/b&gt;"))
                #expect(!list.dom.contains("<b>page</b>"))
                #expect(list.consoleLines.isEmpty, "\(list.consoleLines)")

                // live=0: an open event stream would keep the headless page from ever settling.
                let page = try await Self.load("\(base)/check.html?uuid=\(GraphAPITests.web)&range=6h&live=0", screenshot: "check-page.png")
                #expect(page.dom.contains("data-ready=\"true\""))
                // Each graph is a div.graph with its metric; dygraphs draws into canvases inside it.
                let graphs = page.dom.components(separatedBy: "<div class=\"graph\"").dropFirst()
                for metric in ["duration", "requests"] {
                    let graph = graphs.first { $0.prefix(200).contains("data-metric=\"\(metric)\"") }
                    #expect(graph?.contains("<canvas") == true, "the \(metric) graph has no canvas")
                }
                try page.dom.write(to: Self.output.appendingPathComponent("check-page.html"), atomically: true, encoding: .utf8)
                #expect(page.dom.contains("dygraph-annotation"))
                #expect(page.consoleLines.isEmpty, "\(page.consoleLines)")
                #expect(FileManager.default.fileExists(atPath: Self.output.appendingPathComponent("check-page.png").path))
            }
        }
    }

    // MARK: - Alerting pages

    /// The opening tags `<name …>` in `html`, in order (attribute values hold no `>` in the
    /// tags this test looks at).
    static func openingTags(_ name: String, in html: Substring) -> [Substring] {
        var tags = [Substring]()
        var rest = html[...]
        while let start = rest.range(of: "<\(name)") {
            let after = rest[start.upperBound...]
            guard let first = after.first, first == " " || first == ">" else {
                rest = after
                continue
            }
            guard let end = after.firstIndex(of: ">") else { break }
            tags.append(rest[start.lowerBound...end])
            rest = rest[rest.index(after: end)...]
        }
        return tags
    }

    /// The opening tag of the element with `id`, or "" when there is none.
    static func element(id: String, in html: String) -> Substring {
        guard let range = html.range(of: " id=\"\(id)\"") else { return "" }
        let start = html[..<range.lowerBound].lastIndex(of: "<") ?? range.lowerBound
        let end = html[range.upperBound...].firstIndex(of: ">") ?? html.endIndex
        return html[start..<end]
    }

    /// The markup of the table with `id`, up to its end.
    static func table(id: String, in html: String) -> Substring {
        guard let start = html.range(of: "<table id=\"\(id)\"") else { return "" }
        let end = html[start.upperBound...].range(of: "</table>")?.upperBound ?? html.endIndex
        return html[start.lowerBound..<end]
    }

    static func attributes(_ tag: Substring, contain fragments: String...) -> Bool {
        fragments.allSatisfy { tag.contains($0) }
    }

    @Test("the alerts page lists an alert (its markup as text), a silence and the rules; the badge counts it; the check page has its alerting card and a drawn trend")
    func alertingPages() async throws {
        try await FreshDatabase.with { configuration, store in
            let web = WebFiles.standard()
            #expect(web.dygraphsDirectory != nil, "libjs-dygraphs is not installed (scripts/setup.sh installs it)")
            let check = UUID(uuidString: "cccccccc-0000-4000-8000-0000000000c1")!
            let markup = "<img src=x onerror=alert(1)>"
            try await AlertAPITests.serve(configuration, web: web) { server in
                let base = server.base
                // A threshold that the last latency value breaches, and a forecast on a disk
                // filling steadily: its crossing is hours away, beyond the horizon, so it
                // draws a trend without opening an alert.
                for rule in [
                    #"{"name":"high-latency","type":"threshold","severity":"critical","metric":"latency","above":100}"#,
                    #"{"name":"disk-fill","type":"forecast","metric":"disk","above":90,"window":"2h","horizon":"1h"}"#,
                ] {
                    let created = try await AlertAPITests.send(server, "POST", "/api/rules", rule)
                    #expect(created.status == 201, "\(created.text)")
                }
                let minute: Int64 = 60_000
                let start = (AlertAPITests.nowMs / minute - 180) * minute
                var records: [Record] = [.check(timestamp: AlertAPITests.at(start), uuid: check, target: "10.0.0.1", module: "http", name: "web \(markup)")]
                for index in Int64(0)..<180 {
                    let time = AlertAPITests.at(start + index * minute)
                    records.append(.status(timestamp: time, uuid: check, state: .good, availability: .available, durationMilliseconds: 12, status: "200 OK"))
                    records.append(.metric(timestamp: time, uuid: check, metric: Metric("latency", .double(index == 179 ? 150 : 40 + Double(index % 7)))))
                    records.append(.metric(timestamp: time, uuid: check, metric: Metric("disk", .double(10 + 0.2 * Double(index)))))
                }
                try await AlertAPITests.commit(records, store: store, engine: server.engine)
                try await store.applyAllPendingRollups()
                try await AlertAPITests.waitFor("the open alert", store.connection, "SELECT count(*)::int FROM alerts WHERE state = 'open'")
                let alertID = try #require(try await store.connection.values("SELECT id FROM alerts", as: Int64.self).first)
                let silence = try await AlertAPITests.send(
                    server, "POST", "/api/silences", #"{"target":"10.9.*","duration":"2h","comment":"planned <b>work</b>","created_by":"ops"}"#)
                #expect(silence.status == 201, "\(silence.text)")
                let silenceID = String(Int64(try #require(AlertAPITests.number(silence.object["id"]))))

                let alerts = try await Self.load("\(base)/alerts.html", screenshot: "alerts-page.png")
                try alerts.dom.write(to: Self.output.appendingPathComponent("alerts-page.html"), atomically: true, encoding: .utf8)
                #expect(Self.openingTags("body", in: alerts.dom[...]).first?.contains("data-ready=\"true\"") == true)
                let rows = Self.openingTags("tr", in: Self.table(id: "open-alerts", in: alerts.dom))
                #expect(rows.contains { $0.contains("data-alert-id=\"\(alertID)\"") }, "\(rows)")
                // The summary carries the check's name: its markup is shown as text, never parsed.
                #expect(alerts.dom.contains("web &lt;img src=x onerror=alert(1)&gt; latency"))
                #expect(!alerts.dom.contains("<img src=\"x\""))
                #expect(!alerts.dom.contains("<img src=x"))
                let silences = Self.openingTags("tr", in: Self.table(id: "silences", in: alerts.dom))
                #expect(silences.contains { $0.contains("data-silence-id=\"\(silenceID)\"") }, "\(silences)")
                #expect(alerts.dom.contains("planned &lt;b&gt;work&lt;/b&gt;"))
                #expect(!alerts.dom.contains("<b>work</b>"))
                let rules = Self.openingTags("tr", in: Self.table(id: "rules", in: alerts.dom))
                for name in ["high-latency", "disk-fill"] {
                    #expect(rules.contains { Self.attributes($0, contain: "rule-row", "data-rule=\"\(name)\"") }, "\(name): \(rules)")
                }
                #expect(alerts.consoleLines.isEmpty, "\(alerts.consoleLines)")

                let list = try await Self.load("\(base)/", screenshot: "check-list-alerting.png")
                #expect(list.dom.contains("data-ready=\"true\""))
                let badge = Self.element(id: "alert-count", in: list.dom)
                #expect(badge.contains("data-count=\"1\""), "\(badge)")
                #expect(!badge.contains(" hidden"), "\(badge)")
                #expect(list.consoleLines.isEmpty, "\(list.consoleLines)")

                let page = try await Self.load("\(base)/check.html?uuid=\(check)&range=6h&live=0", screenshot: "check-page-alerting.png")
                try page.dom.write(to: Self.output.appendingPathComponent("check-page-alerting.html"), atomically: true, encoding: .utf8)
                #expect(page.dom.contains("data-ready=\"true\""))
                #expect(Self.element(id: "alerting", in: page.dom).contains("data-state=\"loaded\""))
                let series = Self.openingTags("tr", in: Self.table(id: "alerting-series", in: page.dom)).filter { $0.contains("class=\"series-row\"") }
                #expect(series.count == 2, "\(series)")
                #expect(series.contains { Self.attributes($0, contain: "data-rule=\"high-latency\"", "data-condition=\"firing\"", "data-open=\"true\"") })
                #expect(series.contains { Self.attributes($0, contain: "data-rule=\"disk-fill\"", "data-kind=\"forecast\"", "data-metric=\"disk\"") })
                let graphs = Self.openingTags("div", in: page.dom[...]).filter { $0.hasPrefix("<div class=\"graph\"") }
                let disk = graphs.first { $0.contains("data-metric=\"disk\"") }
                #expect(disk?.contains("data-bands=\"drawn\"") == true, "\(graphs)")
                #expect(disk?.contains("data-trend-count=\"1\"") == true, "\(graphs)")
                // A threshold has no band: nothing is drawn on the latency graph.
                #expect(graphs.first { $0.contains("data-metric=\"latency\"") }?.contains("data-bands=\"drawn\"") == false, "\(graphs)")
                #expect(page.dom.contains("trend (disk-fill)"))
                #expect(!page.dom.contains("<img src=\"x\""))
                #expect(page.consoleLines.isEmpty, "\(page.consoleLines)")
            }
        }
    }
}
