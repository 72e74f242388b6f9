import Foundation
import Logging
import NIOPosix
import NoitServer

/// A temporary directory holding a node's config file and journal.
struct NodeFixture {
    let directory: URL
    var configPath: String { directory.appendingPathComponent("noitd.conf").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("noitd-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func writeConfig(checks: String, listeners: String = "<listeners/>") throws {
        let xml = """
            <?xml version="1.0"?>
            <noit>
              <journal path="journal" fsync_interval="100"/>
              \(listeners)
              <checks period="1000" timeout="500" target="127.0.0.1">
            \(checks)
              </checks>
            </noit>
            """
        try xml.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    func makeNode() throws -> NoitNode {
        try NoitNode(configPath: configPath, eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: Logger(label: "test"))
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
