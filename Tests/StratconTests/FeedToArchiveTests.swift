import Foundation
import Logging
import NIOPosix
import NIOSSL
import NoitTestSupport
import PostgresNIO
import ServiceLifecycle
import Stratcon
import Testing

/// The whole path: a real noitd process journals results, serves them over TLS, and a
/// stratcon feed stores them in a real PostgreSQL.
@Suite("From noitd's journal to PostgreSQL")
struct FeedToArchiveTests {
    struct Node {
        let directory: URL
        let authority: TestCertificateAuthority
        let client: IssuedCertificate
        let configPath: String
    }

    static func makeNode(checks: String) throws -> Node {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("feed-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let authority = try TestCertificateAuthority()
        let caPath = try authority.writeCertificate(to: directory)
        let server = try authority.issue(commonName: "localhost")
        try server.certificatePEM.write(to: directory.appendingPathComponent("server.crt"), atomically: true, encoding: .utf8)
        try server.privateKeyPEM.write(to: directory.appendingPathComponent("server.key"), atomically: true, encoding: .utf8)
        let configPath = directory.appendingPathComponent("noitd.conf").path
        try """
            <?xml version="1.0"?>
            <noit>
              <journal path="journal" fsync_interval="100"/>
              <listeners>
                <listener type="feed" address="127.0.0.1" port="0" ssl_cert="\(directory.path)/server.crt"
                  ssl_key="\(directory.path)/server.key" ssl_ca="\(caPath)" subscribers="stratcon-test"/>
              </listeners>
              <checks period="1000" timeout="500" target="127.0.0.1">\(checks)</checks>
            </noit>
            """.write(toFile: configPath, atomically: true, encoding: .utf8)
        return Node(directory: directory, authority: authority, client: try authority.issue(commonName: "stratcon-test"), configPath: configPath)
    }

    static func startNoitd(_ node: Node) async throws -> (ChildProcess, Int) {
        let binary = try #require(BuiltProducts.executable("noitd"), "build noitd first (swift build --build-tests)")
        let process = try ChildProcess(executable: binary, arguments: ["--config", node.configPath, "--foreground"])
        let ready = try #require(await process.waitForLine(containing: "noitd ready"))
        let marker = try #require(ready.range(of: "feed://127.0.0.1:"))
        return (process, try #require(Int(ready[marker.upperBound...].prefix { $0.isNumber })))
    }

    static func feedSettings(_ node: Node, port: Int) -> NoitFeedSettings {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates([node.authority.certificate])
        tls.certificateChain = [.certificate(node.client.certificate)]
        tls.privateKey = .privateKey(node.client.privateKey)
        var settings = NoitFeedSettings(address: "127.0.0.1", port: port, serverName: "localhost", tls: tls)
        settings.minimumBackoff = .milliseconds(100)
        settings.maximumBackoff = .milliseconds(400)
        return settings
    }

    /// Polls a count until it reaches `target`: the only way to observe another process's
    /// progress in the database. The deadline guards against a hang only.
    static func waitFor(_ connection: PostgresConnection, _ query: PostgresQuery, atLeast target: Int) async throws -> Int {
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            let count = try await connection.values(query, as: Int.self).first ?? 0
            if count >= target || ContinuousClock.now > deadline { return count }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    @Test("results flow from a noitd process into the archives, once each")
    func endToEnd() async throws {
        let checkID = UUID()
        let node = try Self.makeNode(checks: "<check uuid=\"\(checkID)\" module=\"selfcheck\"/>")
        defer { try? FileManager.default.removeItem(at: node.directory) }
        let (noitd, port) = try await Self.startNoitd(node)
        defer { noitd.signal(SIGKILL) }
        try await FreshDatabase.with { configuration, store in
            let archive = ArchiveConnection(
                configuration: configuration, migrator: try SchemaMigrator(directory: SchemaMigrator.defaultDirectory()),
                eventLoop: MultiThreadedEventLoopGroup.singleton.next(), logger: FreshDatabase.logger)
            let feed = try NoitFeed(settings: Self.feedSettings(node, port: port), archive: archive,
                                    eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: FreshDatabase.logger)
            let group = ServiceGroup(configuration: .init(services: [feed], logger: FreshDatabase.logger))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                let statuses = try await Self.waitFor(store.connection, "SELECT count(*)::int FROM status_archive", atLeast: 3)
                #expect(statuses >= 3)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            let c = store.connection
            #expect(try await c.values("SELECT uuid::text FROM checks", as: String.self) == [checkID.uuidString.lowercased()])
            #expect(try await c.values("SELECT noit FROM checks", as: String.self) == ["127.0.0.1:\(port)"])
            #expect(try await c.values("SELECT count(*)::int FROM metric_catalogue WHERE name = 'checks'", as: Int.self) == [1])
            // Each run once: as many statuses as distinct times.
            #expect(try await c.values("SELECT count(*) - count(DISTINCT time) FROM status_archive", as: Int.self) == [0])
            #expect(feed.status.checkpoint > 0)
            #expect(feed.status.recordsRejected == 0)
        }
    }
}
