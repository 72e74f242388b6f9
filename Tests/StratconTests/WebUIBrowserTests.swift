import Foundation
import Hummingbird
import NoitTestSupport
import PostgresNIO
import ServiceLifecycle
import Stratcon
import StratconAPI
import Testing

/// The web UI in a real browser: Debian's headless Chromium loads the check list and a check
/// page from stratcond's HTTP server over seeded data (the last three hours), and the test
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
}
