import Foundation
import Logging
import NIOPosix
@testable import NoitServer

/// A temporary directory holding a node's config file and journal.
struct NodeFixture {
    let directory: URL
    var configPath: String { directory.appendingPathComponent("noitd.conf").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("noitd-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// The REST API token of `defaultAccess`.
    static let token = "noit_the-rest-tests-own-token"
    /// An API token for the REST tests; programs: the defaults.
    static var defaultAccess: String { "<access><api_token name=\"test\" hash=\"\(APIToken.hashText(of: token))\"/></access>" }

    func writeConfig(checks: String, listeners: String = "<listeners/>", access: String = NodeFixture.defaultAccess) throws {
        let xml = """
            <?xml version="1.0"?>
            <noit>
              <journal path="journal" fsync_interval="100"/>
              \(access)
              \(listeners)
              <checks period="1000" timeout="500" target="127.0.0.1">
            \(checks)
              </checks>
            </noit>
            """
        try xml.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    func makeNode(logger: Logger = Logger(label: "test")) throws -> NoitNode {
        try NoitNode(configPath: configPath, eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: logger)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
