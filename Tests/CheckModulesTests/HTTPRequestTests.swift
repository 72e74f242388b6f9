import Foundation
import NIOHTTP1
import NoitCore
import Testing

@testable import CheckModules

@Suite("http config, request building, redirects and verdicts (no I/O)")
struct HTTPRequestTests {
    func config(_ values: [String: String]) throws -> HTTPCheckConfig {
        let check = CheckDefinition(
            uuid: UUID(), module: "http", target: "192.0.2.1", periodMilliseconds: 60_000, timeoutMilliseconds: 5_000,
            config: HTTPModule.descriptor.applyingDefaults(to: values))
        return try HTTPCheckConfig(check)
    }

    func request(_ values: [String: String]) throws -> HTTPRequest {
        HTTPRequest(config: try config(values), target: "192.0.2.1")
    }

    @Test("the descriptor accepts good configs and refuses bad ones")
    func descriptor() {
        let descriptor = HTTPModule.descriptor
        #expect(descriptor.problems(in: ["url": "https://a.test/"]).isEmpty)
        #expect(descriptor.problems(in: ["url": "http://a.test/", "header_Host": "b.test", "header_X-Trace": "1"]).isEmpty)
        #expect(descriptor.problems(in: [:]) == [.missingRequired("url")])
        #expect(descriptor.problems(in: ["url": "ftp://a.test/"]).count == 1)
        #expect(descriptor.problems(in: ["url": "http://a.test/", "method": "FETCH"]).count == 1)
        #expect(descriptor.problems(in: ["url": "http://a.test/", "redirects": "-1"]).count == 1)
        #expect(descriptor.problems(in: ["url": "http://a.test/", "insecure": "maybe"]).count == 1)
        #expect(descriptor.problems(in: ["url": "http://a.test/", "header_": "x"]).count == 1)
        #expect(descriptor.problems(in: ["url": "http://a.test/", "bogus": "1"]).count == 1)
    }

    @Test("defaults: GET, code ^200$, no redirects, verify, 1 MiB read limit")
    func defaults() throws {
        let config = try config(["url": "http://a.test/"])
        #expect(config.method == .GET)
        #expect(config.codePattern == "^200$")
        #expect(config.bodyPattern == nil)
        #expect(config.maxRedirects == 0)
        #expect(config.insecure == false)
        #expect(config.readLimit == 1_048_576)
        #expect(config.credentials == nil)
    }

    @Test("config errors the descriptor cannot see are reported")
    func configErrors() {
        #expect(throws: HTTPConfigError("invalid URL: missing host")) { try config(["url": "http://"]) }
        #expect(throws: HTTPConfigError("code is not a valid regular expression")) { try config(["url": "http://a.test/", "code": "(2"]) }
        #expect(throws: HTTPConfigError("body is not a valid regular expression")) { try config(["url": "http://a.test/", "body": "[x"]) }
        #expect(throws: HTTPConfigError("header_Bad Name: 'Bad Name' is not a valid header name")) {
            try config(["url": "http://a.test/", "header_Bad Name": "x"])
        }
        #expect(throws: HTTPConfigError("header_X: header values cannot contain line breaks")) {
            try config(["url": "http://a.test/", "header_X": "a\r\nInjected: yes"])
        }
        #expect(throws: HTTPConfigError("read_limit is out of range")) {
            try config(["url": "http://a.test/", "read_limit": "99999999999999999999999"])
        }
    }

    @Test("the first request connects to the target and names the URL's host")
    func firstRequest() throws {
        let request = try request(["url": "https://www.a.test:8443/p?q"])
        #expect(request.connectHost == "192.0.2.1")
        #expect(request.serverName == "www.a.test")
        let head = request.head
        #expect(head.method == .GET)
        #expect(head.uri == "/p?q")
        #expect(head.headers["Host"] == ["www.a.test:8443"])
        #expect(head.headers["Connection"] == ["close"])
        #expect(head.headers["User-Agent"] == [HTTPRequest.userAgent])
        #expect(!head.headers.contains(name: "Content-Length"))
        #expect(!head.headers.contains(name: "Authorization"))
    }

    @Test("no SNI for an IP literal host, unless sni_name says so")
    func serverName() throws {
        let literal = try request(["url": "https://127.0.0.1/"])
        #expect(literal.serverName == nil)
        #expect(literal.identityName == "127.0.0.1")
        let named = try request(["url": "https://127.0.0.1/", "sni_name": "svc.test"])
        #expect(named.serverName == "svc.test")
        #expect(named.identityName == "svc.test")
    }

    @Test("custom headers override the defaults, Host included, and are sent once")
    func customHeaders() throws {
        let head = try request([
            "url": "http://a.test/", "header_Host": "b.test", "header_User-Agent": "probe/2", "header_X-Trace": "abc",
        ]).head
        #expect(head.headers["Host"] == ["b.test"])
        #expect(head.headers["User-Agent"] == ["probe/2"])
        #expect(head.headers["X-Trace"] == ["abc"])
    }

    @Test("a payload sets Content-Length; POST without one sends 0")
    func contentLength() throws {
        let post = try request(["url": "http://a.test/", "method": "POST", "payload": "héllo"]).head
        #expect(post.method == .POST)
        #expect(post.headers["Content-Length"] == ["6"])
        let empty = try request(["url": "http://a.test/", "method": "PUT"]).head
        #expect(empty.headers["Content-Length"] == ["0"])
    }

    @Test("basic auth from auth_user/auth_password, else from the URL")
    func basicAuth() throws {
        let configured = try request(["url": "http://a.test/", "auth_user": "user", "auth_password": "pass"]).head
        #expect(configured.headers["Authorization"] == ["Basic dXNlcjpwYXNz"])
        let fromURL = try request(["url": "http://bob:s%3Acret@a.test/"]).head
        #expect(fromURL.headers["Authorization"] == ["Basic " + Data("bob:s:cret".utf8).base64EncodedString()])
        #expect(fromURL.headers["Host"] == ["a.test"])
    }

    @Test("only redirect statuses with a Location are followed")
    func notRedirects() throws {
        let request = try request(["url": "http://a.test/"])
        #expect(try request.redirected(status: 200, location: "/x") == nil)
        #expect(try request.redirected(status: 304, location: "/x") == nil)
        #expect(try request.redirected(status: 302, location: nil) == nil)
        #expect(try request.redirected(status: 302, location: "") == nil)
    }

    @Test("a redirect connects to the new URL's host, not the target")
    func redirectConnectsToURLHost() throws {
        let first = try request(["url": "https://a.test/x/y", "sni_name": "override.test"])
        let next = try #require(try first.redirected(status: 302, location: "z"))
        #expect(next.url.description == "https://a.test/x/z")
        #expect(next.connectHost == "a.test")
        #expect(next.serverName == "a.test")
        let literal = try #require(try first.redirected(status: 301, location: "http://10.0.0.1:8080/"))
        #expect(literal.connectHost == "10.0.0.1")
        #expect(literal.url.port == 8080)
        #expect(literal.serverName == nil)
    }

    @Test("303 turns POST into a body-less GET; 307 and 308 repeat it; 301/302 drop POST to GET")
    func redirectMethods() throws {
        let post = try request(["url": "http://a.test/", "method": "POST", "payload": "data"])
        let after303 = try #require(try post.redirected(status: 303, location: "/r"))
        #expect(after303.method == .GET)
        #expect(after303.payload == nil)
        #expect(!after303.head.headers.contains(name: "Content-Length"))
        for status in [307, 308] {
            let repeated = try #require(try post.redirected(status: status, location: "/r"))
            #expect(repeated.method == .POST)
            #expect(repeated.payload == Array("data".utf8))
        }
        for status in [301, 302] {
            #expect(try post.redirected(status: status, location: "/r")?.method == .GET)
        }
        let put = try request(["url": "http://a.test/", "method": "PUT", "payload": "d"])
        #expect(try put.redirected(status: 302, location: "/r")?.method == .PUT)
        let head = try request(["url": "http://a.test/", "method": "HEAD"])
        #expect(try head.redirected(status: 303, location: "/r")?.method == .HEAD)
    }

    @Test("credentials and a custom Host follow only within the origin")
    func redirectOrigin() throws {
        let first = try request([
            "url": "http://a.test/", "auth_user": "u", "auth_password": "p", "header_Host": "vhost.test", "header_X-Keep": "1",
        ])
        let same = try #require(try first.redirected(status: 302, location: "/next"))
        #expect(same.head.headers["Authorization"] == ["Basic dTpw"])
        #expect(same.head.headers["Host"] == ["vhost.test"])
        let other = try #require(try first.redirected(status: 302, location: "http://b.test/"))
        #expect(!other.head.headers.contains(name: "Authorization"))
        #expect(other.head.headers["Host"] == ["b.test"])
        #expect(other.head.headers["X-Keep"] == ["1"])
        let scheme = try #require(try first.redirected(status: 302, location: "https://a.test/"))
        #expect(scheme.credentials == nil)
    }

    @Test("an unusable Location is an error, not a crash")
    func badLocation() throws {
        let request = try request(["url": "http://a.test/"])
        #expect(throws: HTTPURLError.unsupportedScheme("gopher")) { try request.redirected(status: 302, location: "gopher://a.test/") }
    }

    @Test("verdicts: code, body, certificate failure and availability")
    func verdicts() throws {
        let plain = try config(["url": "http://a.test/", "body": "ok"])
        var outcome = HTTPExchange.Outcome()
        outcome.status = 200
        outcome.body = Array("all ok".utf8)
        outcome.connectMilliseconds = 1.5
        let good = HTTPModule.result(of: outcome, config: plain, redirects: 0, redirectFailure: nil, duration: 12.34)
        #expect(good.state == .good)
        #expect(good.availability == .available)
        #expect(good.status == "HTTP 200, 6 bytes in 12.3 ms")
        #expect(good.durationMilliseconds == 12)
        #expect(good.metrics.first { $0.name == "body_match" }?.value == .string("yes"))
        #expect(good.metrics.first { $0.name == "bytes" }?.value == .uint64(6))
        #expect(good.metrics.first { $0.name == "tt_firstbyte" }?.value == .null(.double))

        outcome.body = Array("nope".utf8)
        let mismatch = HTTPModule.result(of: outcome, config: plain, redirects: 0, redirectFailure: nil, duration: 1)
        #expect(mismatch.state == .bad)
        #expect(mismatch.availability == .available)
        #expect(mismatch.status == "body does not match")

        outcome.status = 503
        let code = HTTPModule.result(of: outcome, config: plain, redirects: 0, redirectFailure: nil, duration: 1)
        #expect(code.status == "code 503 does not match ^200$")

        var refused = HTTPExchange.Outcome(failure: "TLS: certificate has expired")
        refused.verificationFailure = "certificate has expired"
        let tls = HTTPModule.result(of: refused, config: plain, redirects: 0, redirectFailure: nil, duration: 1)
        #expect(tls.availability == .available)
        #expect(tls.state == .bad)
        #expect(tls.metrics.first { $0.name == "code" }?.value == .null(.string))
        #expect(tls.metrics.first { $0.name == "body_match" }?.value == .null(.string))

        let down = HTTPModule.result(
            of: HTTPExchange.Outcome(failure: "connection refused"), config: plain, redirects: 0, redirectFailure: nil, duration: 1)
        #expect(down.availability == .unavailable)
        #expect(down.status == "connection refused")
    }
}
