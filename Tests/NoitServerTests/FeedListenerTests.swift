import Feed
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NoitCore
import NoitTestSupport
import Testing

@testable import NoitServer

/// noitd's journal feed over real TLS sockets: who may subscribe, acknowledgement and
/// resumption, and what bad clients get.
@Suite("Feed listener")
struct FeedListenerTests {
    struct Setup {
        let fixture: NodeFixture
        let authority: TestCertificateAuthority
        let subscriber: IssuedCertificate
        let stranger: IssuedCertificate
        let outsider: IssuedCertificate
    }

    func setUp() throws -> Setup {
        let fixture = try NodeFixture()
        let authority = try TestCertificateAuthority()
        let caPath = try authority.writeCertificate(to: fixture.directory)
        let server = try authority.issue(commonName: "localhost")
        let cert = fixture.directory.appendingPathComponent("server.crt").path
        let key = fixture.directory.appendingPathComponent("server.key").path
        try server.certificatePEM.write(toFile: cert, atomically: true, encoding: .utf8)
        try server.privateKeyPEM.write(toFile: key, atomically: true, encoding: .utf8)
        try fixture.writeConfig(
            checks: "<check uuid=\"\(UUID())\" module=\"selfcheck\"/>",
            listeners: """
                <listeners><listener type="feed" address="127.0.0.1" port="0" ssl_cert="\(cert)" ssl_key="\(key)" ssl_ca="\(caPath)"
                  subscribers="agg-a"/></listeners>
                """)
        return Setup(
            fixture: fixture, authority: authority,
            subscriber: try authority.issue(commonName: "agg-a"), stranger: try authority.issue(commonName: "agg-x"),
            outsider: try TestCertificateAuthority(commonName: "Other CA").issue(commonName: "agg-a"))
    }

    /// One batch at a time, so each test decides exactly when the next one may come.
    static let hello = FeedFrame.hello(version: FeedFrame.currentVersion, maxRecords: 10_000, maxBytes: 1 << 22, window: 1)

    @Test("a listed subscriber gets every record from the start; acks advance its checkpoint; a reconnect resumes after it")
    func subscribeAckResume() async throws {
        let setup = try setUp()
        defer { setup.fixture.remove() }
        try await RunningNode.with(setup.fixture) { running in
            let port = try #require(running.port(of: "feed://"))
            let tls = try FeedTestClient.tls(authority: setup.authority, client: setup.subscriber)

            // First connection: acknowledge the first batch, then leave a second unacknowledged.
            var acked: UInt64 = 0
            var batches = 0
            let first = try await FeedTestClient.connect(port: port, tls: tls).exchange([Self.hello]) { frame, replies in
                guard case .batch(let batch) = frame else { return false }
                batches += 1
                if batches == 1 {
                    acked = batch.lastSequence!
                    replies.append(.ack(sequence: acked))
                    return false
                }
                return true
            }
            guard case .welcome(_, let name, let checkpoint) = first.first else {
                Issue.record("expected welcome, got \(first)")
                return
            }
            #expect(name == "agg-a")
            #expect(checkpoint == 0)
            guard case .batch(let firstBatch) = first[1] else {
                Issue.record("expected a batch, got \(first[1])")
                return
            }
            #expect(firstBatch.records.first?.sequence == 1)
            #expect(firstBatch.records.first?.payload.hasPrefix("C\t") == true)
            guard case .batch(let unacknowledged) = first.last else {
                Issue.record("expected a second batch")
                return
            }
            #expect(unacknowledged.records.first?.sequence == acked + 1)
            // The checkpoint moved exactly to the acknowledged record.
            #expect(running.node.journal.subscribers().first { $0.name == "agg-a" }?.checkpoint == acked)

            // Second connection: the welcome names the checkpoint and the unacknowledged
            // records come again, from acked + 1.
            let second = try await FeedTestClient.connect(port: port, tls: tls).exchange([Self.hello]) { frame, _ in
                if case .batch = frame { return true }
                return false
            }
            #expect(second.first == .welcome(version: FeedFrame.currentVersion, subscriber: "agg-a", checkpoint: acked))
            guard case .batch(let resent) = second.last else {
                Issue.record("expected a batch after reconnecting")
                return
            }
            #expect(resent.records.first == unacknowledged.records.first)
        }
    }

    @Test("a CN not on the list, a certificate from another CA and no certificate are all refused")
    func refusals() async throws {
        let setup = try setUp()
        defer { setup.fixture.remove() }
        try await RunningNode.with(setup.fixture) { running in
            let port = try #require(running.port(of: "feed://"))
            let stranger = try await FeedTestClient.connect(port: port, tls: FeedTestClient.tls(authority: setup.authority, client: setup.stranger))
                .exchange([Self.hello]) { _, _ in false }
            #expect(stranger == [.goodbye(reason: "'agg-x' is not a subscriber of this node")])

            for client in [setup.outsider, nil] {
                let tls = try FeedTestClient.tls(authority: setup.authority, client: client)
                await #expect(throws: (any Error).self) {
                    _ = try await FeedTestClient.connect(port: port, tls: tls).exchange([Self.hello]) { _, _ in false }
                }
            }
            #expect(running.node.journal.subscribers().map(\.name) == ["agg-a"])
            #expect(running.log.lines.contains { $0.contains("feed connection refused") && $0.contains("agg-x") })
        }
    }

    @Test("with a window of 2 the node sends the next batch before the first is acknowledged, and refuses acks out of order")
    func window() async throws {
        let setup = try setUp()
        defer { setup.fixture.remove() }
        try await RunningNode.with(setup.fixture) { running in
            let port = try #require(running.port(of: "feed://"))
            let tls = try FeedTestClient.tls(authority: setup.authority, client: setup.subscriber)
            let hello = FeedFrame.hello(version: FeedFrame.currentVersion, maxRecords: 1, maxBytes: 1 << 22, window: 2)
            var firsts = [UInt64]()
            // Acknowledge the newer batch first: that would skip the older one's storage.
            let frames = try await FeedTestClient.connect(port: port, tls: tls).exchange([hello]) { frame, replies in
                if case .batch(let batch) = frame {
                    firsts.append(batch.records[0].sequence)
                    if firsts.count == 2 { replies.append(.ack(sequence: batch.lastSequence!)) }
                }
                if case .goodbye = frame { return true }
                return false
            }
            #expect(firsts == [1, 2], "two one-record batches out, neither acknowledged")
            guard case .goodbye(let reason) = frames.last else {
                Issue.record("expected goodbye, got \(frames)")
                return
            }
            #expect(reason == "ack 2 does not match the last record of the oldest batch sent, 1")
            #expect(running.node.journal.subscribers().first?.checkpoint == 0)
        }
    }

    @Test("a wrong ack or a garbage frame drops only that connection, logged with the peer")
    func badClients() async throws {
        let setup = try setUp()
        defer { setup.fixture.remove() }
        try await RunningNode.with(setup.fixture) { running in
            let port = try #require(running.port(of: "feed://"))
            let tls = try FeedTestClient.tls(authority: setup.authority, client: setup.subscriber)
            let wrongAck = try await FeedTestClient.connect(port: port, tls: tls).exchange([Self.hello]) { frame, replies in
                if case .batch(let batch) = frame { replies.append(.ack(sequence: batch.lastSequence! + 5)) }
                if case .goodbye = frame { return true }
                return false
            }
            guard case .goodbye(let reason) = wrongAck.last else {
                Issue.record("expected goodbye, got \(wrongAck)")
                return
            }
            #expect(reason.contains("does not match the last record of the oldest batch sent"))
            #expect(running.node.journal.subscribers().first?.checkpoint == 0)

            // Garbage: a frame length far beyond the limit, under a valid certificate.
            let raw = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: "localhost"))
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
            let closed = try await raw.executeThenClose { inbound, outbound in
                try await outbound.write(ByteBuffer(bytes: [0x7F, 0xFF, 0xFF, 0xFF, 0x01, 0x02]))
                var received = 0
                for try await chunk in inbound { received += chunk.readableBytes }
                return received
            }
            #expect(closed >= 0)
            #expect(running.log.lines.contains { $0.contains("feed connection dropped") && $0.contains("out of bounds") && $0.contains("127.0.0.1:") })

            // The node still serves the subscriber.
            let again = try await FeedTestClient.connect(port: port, tls: tls).exchange([Self.hello]) { frame, _ in
                if case .batch = frame { return true }
                return false
            }
            #expect(again.first == .welcome(version: FeedFrame.currentVersion, subscriber: "agg-a", checkpoint: 0))
        }
    }

    @Test("a second connection under the same CN takes over; the first is closed")
    func takeover() async throws {
        let setup = try setUp()
        defer { setup.fixture.remove() }
        try await RunningNode.with(setup.fixture) { running in
            let port = try #require(running.port(of: "feed://"))
            let tls = try FeedTestClient.tls(authority: setup.authority, client: setup.subscriber)
            let first = try await FeedTestClient.connect(port: port, tls: tls)
            async let firstFrames = first.exchange([Self.hello]) { _, _ in false }
            _ = await running.log.waitForLine(containing: "feed subscriber connected")
            let second = try await FeedTestClient.connect(port: port, tls: tls).exchange([Self.hello]) { frame, _ in
                if case .batch = frame { return true }
                return false
            }
            #expect(second.first == .welcome(version: FeedFrame.currentVersion, subscriber: "agg-a", checkpoint: 0))
            // The first connection ends without anyone closing it from this side.
            let seen = try await firstFrames
            #expect(seen.first == .welcome(version: FeedFrame.currentVersion, subscriber: "agg-a", checkpoint: 0))
            #expect(running.log.lines.contains { $0.contains("closing its previous connection") })
        }
    }
}
