import Foundation
import NIOHTTP1
import NoitCore
import NoitTestSupport
import Testing

@testable import CheckModules

@Suite("http against a real loopback HTTP server")
struct HTTPModuleTests {
    let runner = HTTPCheckRunner()

    /// One server with a route per behaviour; unknown paths get a 404.
    func makeServer() async throws -> HTTPTestServer {
        try await HTTPTestServer { request in
            // The port the client connected to, for absolute redirects back to this server.
            let port = request.headers["Host"].first?.split(separator: ":").last.map(String.init) ?? "0"
            switch request.uri {
            case "/ok": return .full(status: 200, headers: [("Content-Type", "text/plain")], body: "hello world")
            case "/error": return .full(status: 500, body: "boom")
            case "/moved": return .full(status: 301, headers: [("Location", "/ok")])
            case "/r2": return .full(status: 302, headers: [("Location", "r1")])
            case "/r1": return .full(status: 302, headers: [("Location", "http://127.0.0.1:\(port)/ok")])
            case "/loop": return .full(status: 302, headers: [("Location", "/loop")])
            case "/bad-location": return .full(status: 302, headers: [("Location", "gopher://127.0.0.1/")])
            case "/chunked": return .chunked(status: 200, chunks: ["hello ", "chunked ", "world"])
            case "/close": return .closeDelimited(status: 200, body: "until the end")
            case "/big": return .full(status: 200, body: String(repeating: "x", count: 100_000))
            case "/stall": return .stall(status: 200, partialBody: "partial")
            case "/garbage": return .raw(Array("SSH-2.0-OpenSSH_9.2p1 Debian\r\n".utf8) + [0x01, 0x02, 0xFF, 0x00])
            case "/short": return .raw(Array("HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\nabc".utf8))
            case "/hints":
                return .raw(Array("HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfinal".utf8))
            case "/binary": return .raw(Array("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n".utf8) + [0xFF, 0xFE, 0x80, 0x41])
            default: return .full(status: 404, body: "no route for \(request.uri)")
            }
        }
    }

    func url(_ server: HTTPTestServer, _ path: String) -> String { "http://127.0.0.1:\(server.port)\(path)" }

    @Test("200 is good with code, bytes, timings and a status line")
    func ok() async throws {
        let server = try await makeServer()
        defer { Task { await server.close() } }
        let result = await runner.run(url(server, "/ok"))
        #expect(result.state == .good, "\(result.status)")
        #expect(result.availability == .available)
        #expect(result.status.hasPrefix("HTTP 200, 11 bytes in "))
        #expect(runner.metric(result, "code") == .string("200"))
        #expect(runner.metric(result, "bytes") == .uint64(11))
        #expect(runner.metric(result, "truncated") == .int32(0))
        #expect(runner.metric(result, "body_match") == nil)
        #expect(runner.metric(result, "cert_subject") == nil)
        let connect = try #require(runner.metric(result, "tt_connect")?.doubleValue)
        let firstByte = try #require(runner.metric(result, "tt_firstbyte")?.doubleValue)
        let duration = try #require(runner.metric(result, "duration")?.doubleValue)
        #expect(connect >= 0 && connect <= firstByte && firstByte <= duration)
        let request = try #require(server.receivedRequests.first)
        #expect(request.method == .GET)
        #expect(request.headers["Host"] == ["127.0.0.1:\(server.port)"])
    }

    @Test("500 is available but bad, with code 500")
    func serverError() async throws {
        let server = try await makeServer()
        defer { Task { await server.close() } }
        let result = await runner.run(url(server, "/error"))
        #expect(result.availability == .available)
        #expect(result.state == .bad)
        #expect(result.status == "code 500 does not match ^200$")
        #expect(runner.metric(result, "code") == .string("500"))
        #expect(runner.metric(result, "bytes") == .uint64(4))
    }

    @Test("a custom code regex accepts a 301 without following it")
    func customCode() async throws {
        let server = try await makeServer()
        defer { Task { await server.close() } }
        let result = await runner.run(url(server, "/moved"), ["code": "^(200|301)$"])
        #expect(result.state == .good, "\(result.status)")
        #expect(runner.metric(result, "code") == .string("301"))
        #expect(server.receivedRequests.count == 1)
    }

    @Test("body regex match and mismatch set body_match")
    func bodyMatch() async throws {
        let server = try await makeServer()
        defer { Task { await server.close() } }
        let matched = await runner.run(url(server, "/ok"), ["body": "hel+o\\s+w"])
        #expect(matched.state == .good)
        #expect(runner.metric(matched, "body_match") == .string("yes"))
        let missed = await runner.run(url(server, "/ok"), ["body": "^goodbye"])
        #expect(missed.state == .bad)
        #expect(missed.availability == .available)
        #expect(missed.status == "body does not match")
        #expect(runner.metric(missed, "body_match") == .string("no"))
    }

    @Test("with redirects=0 the 302 is the result")
    func redirectNotFollowed() async throws {
        let server = try await makeServer()
        defer { Task { await server.close() } }
        let result = await runner.run(url(server, "/r2"))
        #expect(result.state == .bad)
        #expect(result.status == "code 302 does not match ^200$")
        #expect(runner.metric(result, "code") == .string("302"))
        #expect(runner.metric(result, "redirects") == .int32(0))
        #expect(server.receivedRequests.map(\.uri) == ["/r2"])
    }

    @Test("with redirects=2 a relative then an absolute Location lead to the 200")
    func redirectsFollowed() async throws {
        let server = try await makeServer()
        defer { Task { await server.close() } }
        let result = await runner.run(url(server, "/r2"), ["redirects": "2", "body": "hello"])
        #expect(result.state == .good, "\(result.status)")
        #expect(runner.metric(result, "code") == .string("200"))
        #expect(runner.metric(result, "redirects") == .int32(2))
        #expect(runner.metric(result, "body_match") == .string("yes"))
        #expect(result.status.hasSuffix(" ms after 2 redirects"), "\(result.status)")
        #expect(server.receivedRequests.map(\.uri) == ["/r2", "/r1", "/ok"])
    }

    @Test("a redirect loop stops at the limit")
    func redirectLoop() async throws {
        let server = try await makeServer()
        defer { Task { await server.close() } }
        let result = await runner.run(url(server, "/loop"), ["redirects": "4"])
        #expect(result.state == .bad)
        #expect(result.availability == .available)
        #expect(runner.metric(result, "code") == .string("302"))
        #expect(runner.metric(result, "redirects") == .int32(4))
        #expect(server.receivedRequests.count == 5)
    }

    @Test("a redirect to an unusable Location is bad with a reason")
    func unusableRedirect() async throws {
        let server = try await makeServer()
        defer { Task { await server.close() } }
        let result = await runner.run(url(server, "/bad-location"), ["redirects": "3"])
        #expect(result.state == .bad)
        #expect(result.availability == .available)
        #expect(result.status == "cannot follow redirect: unsupported URL scheme 'gopher'")
    }

    @Test("the first request connects to the target whatever the URL's host; redirects go to the URL")
    func targetVersusURLHost() async throws {
        let server = try await makeServer()
        defer { Task { await server.close() } }
        let result = await runner.run("http://www.example.invalid:\(server.port)/r1", target: "127.0.0.1", ["redirects": "1"])
        #expect(result.state == .good, "\(result.status)")
        let requests = server.receivedRequests
        #expect(requests.map(\.uri) == ["/r1", "/ok"])
        #expect(requests.first?.headers["Host"] == ["www.example.invalid:\(server.port)"])
        #expect(requests.last?.headers["Host"] == ["127.0.0.1:\(server.port)"])
    }

    @Test("a chunked body is read whole")
    func chunked() async throws {
        let server = try await makeServer()
        defer { Task { await server.close() } }
        let result = await runner.run(url(server, "/chunked"), ["body": "^hello chunked world$"])
        #expect(result.state == .good, "\(result.status)")
        #expect(runner.metric(result, "bytes") == .uint64(19))
    }

    @Test("a body delimited by the server closing is read whole")
    func closeDelimited() async throws {
        let server = try await makeServer()
        defer { Task { await server.close() } }
        let result = await runner.run(url(server, "/close"), ["body": "^until the end$"])
        #expect(result.state == .good, "\(result.status)")
        #expect(runner.metric(result, "bytes") == .uint64(13))
    }

    @Test("read_limit cuts the body and sets truncated")
    func readLimit() async throws {
        let server = try await makeServer()
        defer { Task { await server.close() } }
        let result = await runner.run(url(server, "/big"), ["read_limit": "1000"])
        #expect(result.state == .good, "\(result.status)")
        #expect(runner.metric(result, "bytes") == .uint64(1000))
        #expect(runner.metric(result, "truncated") == .int32(1))
        #expect(result.status.hasSuffix("(truncated at read_limit)"))
        let whole = await runner.run(url(server, "/big"))
        #expect(runner.metric(whole, "bytes") == .uint64(100_000))
        #expect(runner.metric(whole, "truncated") == .int32(0))
    }

    @Test("HEAD gets the status without a body")
    func head() async throws {
        let server = try await makeServer()
        defer { Task { await server.close() } }
        let result = await runner.run(url(server, "/ok"), ["method": "HEAD"])
        #expect(result.state == .good, "\(result.status)")
        #expect(runner.metric(result, "bytes") == .uint64(0))
        #expect(server.receivedRequests.first?.method == .HEAD)
    }

    @Test("POST sends the payload and custom headers, and the server sees them")
    func postWithHeaders() async throws {
        let server = try await makeServer()
        defer { Task { await server.close() } }
        let result = await runner.run(
            url(server, "/echo"),
            ["method": "POST", "payload": "{\"probe\":1}", "header_X-Probe": "noit", "header_Host": "vhost.test", "code": "^404$"])
        #expect(result.state == .good, "\(result.status)")
        let request = try #require(server.receivedRequests.first)
        #expect(request.method == .POST)
        #expect(request.body == Array("{\"probe\":1}".utf8))
        #expect(request.headers["X-Probe"] == ["noit"])
        #expect(request.headers["Host"] == ["vhost.test"])
        #expect(request.headers["Content-Length"] == ["11"])
    }

    @Test("basic auth sends an Authorization header")
    func basicAuth() async throws {
        let server = try await makeServer()
        defer { Task { await server.close() } }
        _ = await runner.run(url(server, "/ok"), ["auth_user": "monitor", "auth_password": "s3cret"])
        let request = try #require(server.receivedRequests.first)
        #expect(request.headers["Authorization"] == ["Basic " + Data("monitor:s3cret".utf8).base64EncodedString()])
    }

    @Test("a body that is not valid UTF-8 is measured and matched, not a crash")
    func invalidUTF8Body() async throws {
        let server = try await makeServer()
        defer { Task { await server.close() } }
        let result = await runner.run(url(server, "/binary"), ["body": "A$"])
        #expect(result.state == .good, "\(result.status)")
        #expect(runner.metric(result, "bytes") == .uint64(4))
        #expect(runner.metric(result, "body_match") == .string("yes"))
    }

    @Test("an interim 103 response is skipped for the final one")
    func interimResponse() async throws {
        let server = try await makeServer()
        defer { Task { await server.close() } }
        let result = await runner.run(url(server, "/hints"), ["body": "^final$"])
        #expect(result.state == .good, "\(result.status)")
        #expect(runner.metric(result, "code") == .string("200"))
    }

    @Test("a body cut short by the server closing is available but bad")
    func shortBody() async throws {
        let server = try await makeServer()
        defer { Task { await server.close() } }
        let result = await runner.run(url(server, "/short"))
        #expect(result.availability == .available)
        #expect(result.state == .bad)
        #expect(result.status == "connection closed before the body was complete")
        #expect(runner.metric(result, "code") == .string("200"))
        #expect(runner.metric(result, "bytes") == .uint64(3))
    }

    @Test("a host name that does not resolve says so")
    func unresolvable() async {
        let result = await runner.run("http://www.example.test/", target: "no-such-host.invalid")
        #expect(result.availability == .unavailable)
        #expect(result.status == "cannot resolve no-such-host.invalid")
    }

    @Test("a refused port is unavailable with status 'connection refused'")
    func refused() async throws {
        let port = try await LoopbackServer.closedPort()
        let result = await runner.run("http://127.0.0.1:\(port)/")
        #expect(result.availability == .unavailable)
        #expect(result.state == .bad)
        #expect(result.status == "connection refused")
        #expect(runner.metric(result, "code") == .null(.string))
    }

    @Test("garbage instead of HTTP is bad and unavailable with a clear status")
    func garbage() async throws {
        let server = try await makeServer()
        defer { Task { await server.close() } }
        let result = await runner.run(url(server, "/garbage"), ["body": "x"])
        #expect(result.availability == .unavailable)
        #expect(result.state == .bad)
        #expect(result.status.hasPrefix("invalid HTTP response"), "\(result.status)")
        #expect(runner.metric(result, "code") == .null(.string))
    }

    @Test("a banner-speaking server that never reads the request is bad, not a crash")
    func bannerServer() async throws {
        let server = try await LoopbackServer(behavior: .banner("220 mail.test ESMTP\r\n"))
        defer { Task { await server.close() } }
        let result = await runner.run("http://127.0.0.1:\(server.port)/")
        #expect(result.state == .bad)
        #expect(result.status.hasPrefix("invalid HTTP response"), "\(result.status)")
    }

    @Test("a server that closes at once is 'connection closed before a response'")
    func closedAtOnce() async throws {
        let server = try await LoopbackServer(behavior: .closeImmediately)
        defer { Task { await server.close() } }
        let result = await runner.run("http://127.0.0.1:\(server.port)/")
        #expect(result.availability == .unavailable)
        #expect(result.state == .bad)
        // Closing with our request unread makes the kernel reset the connection, so either is right.
        #expect(["connection closed before a response", "connection reset"].contains(result.status), "\(result.status)")
    }

    @Test("cancelling a run stuck on a stalled body returns promptly")
    func cancellation() async throws {
        let server = try await makeServer()
        defer { Task { await server.close() } }
        let runner = self.runner
        let check = runner.definition(url(server, "/stall"), timeout: 60_000)
        let task = Task { await runner.registry.run(check) }
        var requests = server.requests.makeAsyncIterator()
        _ = await requests.next()
        let cancelledAt = ContinuousClock.now
        task.cancel()
        let result = await task.value
        #expect(result.state == .bad)
        #expect(result.status == "cancelled")
        // Ignoring the cancellation would wait for the backstop, 90 s after the start. 45 s is
        // more than a starved test process stalls (20 s seen) and far less than that.
        #expect(ContinuousClock.now - cancelledAt < .seconds(45))
    }

    @Test("run without a scheduler, a stalled body still ends, by the module's backstop past the timeout")
    func ownDeadline() async throws {
        let server = try await makeServer()
        defer { Task { await server.close() } }
        let started = ContinuousClock.now
        // 30 s: the connect (under the same timeout) and the headers arrive first even on a
        // starved machine (stalls of 20 s seen), so the cut comes after the headers.
        let timeout: Int64 = 30_000
        let result = await runner.run(url(server, "/stall"), timeout: timeout)
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(timeout + HTTPModule.backstopGraceMilliseconds))
        // Only a hang crosses 120 s: the backstop fires at 60 s.
        #expect(elapsed < .seconds(120))
        #expect(result.state == .bad)
        #expect(result.availability == .available)
        #expect(result.status == "timeout")
        #expect(runner.metric(result, "code") == .string("200"))
    }

    @Test("an invalid config is a failed run, not a crash")
    func invalidConfig() async {
        let result = await runner.registry.run(runner.definition("http://", ["code": "("]))
        #expect(result.state == .bad)
        #expect(result.status == "invalid URL: missing host")
    }
}
