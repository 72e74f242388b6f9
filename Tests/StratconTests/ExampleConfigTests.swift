import Alerting
import Foundation
import Stratcon
import Testing

@Suite("conf/stratcon.conf, the example `make run` uses")
struct ExampleConfigTests {
    static var repository: URL {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }

    @Test("loads from where make run copies it, with its alerting rules and a command hook that exists")
    func loads() throws {
        // make run uses a copy in run/stratcond/, and the example's relative paths are from there.
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("example-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let copy = root.appendingPathComponent("run/stratcond")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("scripts"), withDestinationURL: Self.repository.appendingPathComponent("scripts"))
        try FileManager.default.copyItem(at: Self.repository.appendingPathComponent("conf/stratcon.conf"), to: copy.appendingPathComponent("stratcon.conf"))
        let configuration = try StratconConfigLoader.load(path: copy.appendingPathComponent("stratcon.conf").path)
        let names = configuration.alerting.rules.map(\.name)
        #expect(names == ["check-down", "check-silent", "load-high", "ping-anomaly", "connect-anomaly", "journal-growth"])
        #expect(configuration.alerting.uiBaseURL == "http://127.0.0.1:8080")
        let hook = try #require(configuration.alerting.hooks.first)
        guard case .command(let path, _, _) = hook.kind else {
            Issue.record("the example hook should run a command")
            return
        }
        #expect(path.hasSuffix("/scripts/alert-log.sh"))
        #expect(FileManager.default.isExecutableFile(atPath: path))
    }
}
