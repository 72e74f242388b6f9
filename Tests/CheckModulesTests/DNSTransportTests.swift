import NIOPosix
import NoitCore
import NoitTestSupport
import Testing

@testable import CheckModules

/// The UDP/TCP exchange against scripted servers on loopback, for behaviour a well-behaved
/// resolver never shows: stray datagrams, malformed answers, broken TCP retries, silence.
@Suite("dns transport against scripted loopback servers")
struct DNSTransportTests {
    typealias Server = DNSScriptedServer

    @Test("stray datagrams (other id, other question, noise, a query) are ignored until the real answer")
    func strayDatagrams() async throws {
        let server = try await Server(udp: { query in
            var otherId = Server.response(to: query, answers: [Server.address([192, 0, 2, 66], for: query)])
            otherId.header.id &+= 1
            var otherQuestion = Server.response(to: query, answers: [])
            otherQuestion.questions[0].name = DNSName(text: "other.test")!
            var notResponse = Server.response(to: query, answers: [Server.address([192, 0, 2, 67], for: query)])
            notResponse.header.isResponse = false
            return [
                otherId.encoded(), otherQuestion.encoded(), [0xde, 0xad], notResponse.encoded(),
                Server.response(to: query, answers: [Server.address([192, 0, 2, 99], for: query, ttl: 42)]).encoded(),
            ]
        })
        defer { Task { await server.close() } }
        let result = await DNSTestRunner.run(DNSTestRunner.check(port: server.port, target: "a.test"))
        #expect(result.state == .good, "\(result.status)")
        #expect(DNSTestRunner.metric(result, "answer") == .string("192.0.2.99"))
        #expect(DNSTestRunner.metric(result, "ttl") == .int32(42))
    }

    @Test("an answer that matches but does not parse is available, bad and says why")
    func malformedAnswer() async throws {
        let server = try await Server(udp: { query in
            var bytes = Server.response(to: query, answers: [Server.address([192, 0, 2, 1], for: query)]).encoded()
            bytes[bytes.count - 5] = 0x05  // RDLENGTH 4 -> 5 for an A record
            return [bytes + [0]]
        })
        defer { Task { await server.close() } }
        let result = await DNSTestRunner.run(DNSTestRunner.check(port: server.port))
        #expect(result.availability == .available)
        #expect(result.state == .bad)
        #expect(result.status.hasPrefix("malformed answer: malformed A record data"), "\(result.status)")
    }

    @Test("TC over UDP retries over TCP and reassembles an answer that arrives in pieces")
    func tcpFallback() async throws {
        let server = try await Server(
            udp: { query in [Server.response(to: query, truncated: true, answers: []).encoded()] },
            tcp: { query in
                let framed = Server.framed(
                    Server.response(to: query, answers: [Server.address([192, 0, 2, 100], for: query)]).encoded())
                return [Array(framed.prefix(1)), Array(framed.dropFirst().prefix(9)), Array(framed.dropFirst(10))]
            })
        defer { Task { await server.close() } }
        let result = await DNSTestRunner.run(DNSTestRunner.check(port: server.port))
        #expect(result.state == .good, "\(result.status)")
        #expect(DNSTestRunner.metric(result, "answer") == .string("192.0.2.100"))
        #expect(DNSTestRunner.metric(result, "truncated") == .int32(1))
    }

    @Test("a TCP retry whose connection closes without an answer is available, bad, truncated=1")
    func tcpClosed() async throws {
        let server = try await Server(
            udp: { query in [Server.response(to: query, truncated: true, answers: []).encoded()] },
            tcp: { _ in [] })
        defer { Task { await server.close() } }
        let result = await DNSTestRunner.run(DNSTestRunner.check(port: server.port))
        #expect(result.availability == .available)
        #expect(result.state == .bad)
        #expect(result.status == "answer truncated over UDP and the TCP retry failed: TCP connection closed before a complete answer")
        #expect(DNSTestRunner.metric(result, "truncated") == .int32(1))
    }

    @Test("a TCP answer to another query fails the retry instead of being believed")
    func tcpMismatch() async throws {
        let server = try await Server(
            udp: { query in [Server.response(to: query, truncated: true, answers: []).encoded()] },
            tcp: { query in
                var wrong = Server.response(to: query, answers: [Server.address([192, 0, 2, 1], for: query)])
                wrong.header.id &+= 1
                return [Server.framed(wrong.encoded())]
            })
        defer { Task { await server.close() } }
        let result = await DNSTestRunner.run(DNSTestRunner.check(port: server.port))
        #expect(result.state == .bad)
        #expect(result.status.contains("TCP answer does not match the query"), "\(result.status)")
    }

    @Test("no TCP listener behind a truncated UDP answer: the retry is refused")
    func tcpRefused() async throws {
        let server = try await Server(udp: { query in [Server.response(to: query, truncated: true, answers: []).encoded()] })
        defer { Task { await server.close() } }
        let result = await DNSTestRunner.run(DNSTestRunner.check(port: server.port))
        #expect(result.availability == .available)
        #expect(result.status == "answer truncated over UDP and the TCP retry failed: TCP connection refused")
    }

    @Test("a port where nothing listens fails with 'port unreachable', not by the timeout")
    func nothingListening() async throws {
        let port = try LoopbackServer.unboundUDPPort()
        // The status proves it: a run cut off would say "cancelled".
        let result = await DNSTestRunner.run(DNSTestRunner.check(port: port))
        #expect(result.availability == .unavailable)
        #expect(result.state == .bad)
        #expect(result.status == "port unreachable")
    }

    @Test("a server that never answers: the run returns promptly once its task is cancelled")
    func cancellation() async throws {
        let server = try await Server(udp: { _ in [] })
        defer { Task { await server.close() } }
        let check = DNSTestRunner.check(port: server.port, timeoutMilliseconds: 60_000)
        let task = Task { await DNSTestRunner.registry.run(check) }
        var queries = server.queries.makeAsyncIterator()
        let query = try #require(await queries.next())
        #expect(query.questions.first?.name.description == "a.test")
        let clock = ContinuousClock()
        let cancelledAt = clock.now
        task.cancel()
        let result = await task.value
        // Only cancellation ends a wait over UDP. 50 s: a run that noticed it late crosses it, a
        // starved test process (stalls of 20 s seen) does not.
        #expect(clock.now - cancelledAt < .seconds(50))
        #expect(result.availability == .unavailable)
        #expect(result.status == "cancelled")
    }

    @Test("a run cancelled before it starts returns 'cancelled' at once")
    func cancelledBeforeStart() async throws {
        let server = try await Server(udp: { query in [Server.response(to: query, answers: [Server.address([192, 0, 2, 1], for: query)]).encoded()] })
        defer { Task { await server.close() } }
        let check = DNSTestRunner.check(port: server.port, timeoutMilliseconds: 60_000)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await DNSTestRunner.registry.run(check)
        }
        let result = await task.value
        #expect(result.status == "cancelled")
    }

    @Test("each query carries a fresh random id and the RD flag")
    func queryIds() async throws {
        let server = try await Server(udp: { query in [Server.response(to: query, answers: [Server.address([192, 0, 2, 1], for: query)]).encoded()] })
        defer { Task { await server.close() } }
        var ids = Set<UInt16>()
        var queries = server.queries.makeAsyncIterator()
        for _ in 0..<8 {
            let result = await DNSTestRunner.run(DNSTestRunner.check(port: server.port))
            #expect(result.state == .good)
            let query = try #require(await queries.next())
            #expect(query.header.recursionDesired)
            #expect(!query.header.isResponse)
            ids.insert(query.header.id)
        }
        // Eight draws from 65536 values collide with probability below 0.05%.
        #expect(ids.count >= 7)
    }
}
