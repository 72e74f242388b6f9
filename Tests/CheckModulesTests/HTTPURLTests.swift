import Testing

@testable import CheckModules

@Suite("http URL parsing and redirect resolution (no I/O)")
struct HTTPURLTests {
    @Test("a bare host gets port 80 and path /")
    func bareHost() throws {
        let url = try HTTPURL(parsing: "http://example.com")
        #expect(url.scheme == .http)
        #expect(url.host == "example.com")
        #expect(url.port == 80)
        #expect(url.requestTarget == "/")
        #expect(url.hostHeader == "example.com")
        #expect(!url.isTLS)
    }

    @Test("scheme is case-insensitive; port, path and query are kept; the fragment is dropped")
    func fullURL() throws {
        let url = try HTTPURL(parsing: "HTTPS://Example.com:8443/a/b%20c?x=1&y=2#frag")
        #expect(url.scheme == .https)
        #expect(url.port == 8443)
        #expect(url.path == "/a/b%20c")
        #expect(url.query == "x=1&y=2")
        #expect(url.requestTarget == "/a/b%20c?x=1&y=2")
        #expect(url.hostHeader == "Example.com:8443")
        #expect(url.description == "https://Example.com:8443/a/b%20c?x=1&y=2")
    }

    @Test("the default port is left out of the Host header")
    func defaultPortOmitted() throws {
        #expect(try HTTPURL(parsing: "http://h.test:80/").hostHeader == "h.test")
        #expect(try HTTPURL(parsing: "https://h.test:443/").hostHeader == "h.test")
        #expect(try HTTPURL(parsing: "https://h.test:80/").hostHeader == "h.test:80")
    }

    @Test("IPv6 literals lose their brackets as a host and keep them in Host")
    func ipv6() throws {
        let url = try HTTPURL(parsing: "http://[::1]:8080/x")
        #expect(url.host == "::1")
        #expect(url.port == 8080)
        #expect(url.hostHeader == "[::1]:8080")
        #expect(try HTTPURL(parsing: "https://[2001:db8::1]/").port == 443)
    }

    @Test("user info is percent-decoded and never shown")
    func userInfo() throws {
        let url = try HTTPURL(parsing: "http://us%65r:p%40ss:word@h.test/")
        #expect(url.user == "user")
        #expect(url.password == "p@ss:word")
        #expect(url.host == "h.test")
        #expect(url.description == "http://h.test/")
    }

    @Test("a query without a path gets path /")
    func queryOnly() throws {
        let url = try HTTPURL(parsing: "http://h.test?q=1")
        #expect(url.path == "/")
        #expect(url.requestTarget == "/?q=1")
    }

    @Test("malformed URLs are refused with a reason", arguments: [
        ("example.com/x", HTTPURLError.invalid("missing scheme")),
        ("ftp://example.com/", .unsupportedScheme("ftp")),
        ("http://", .invalid("missing host")),
        ("http:///path", .invalid("missing host")),
        ("http://h.test:99999/", .invalid("invalid port '99999'")),
        ("http://h.test:8o/", .invalid("invalid port '8o'")),
        ("http://a b/", .invalid("contains spaces or control characters")),
        ("http://[::1/", .invalid("unterminated IPv6 literal")),
    ])
    func malformed(text: String, expected: HTTPURLError) {
        #expect(throws: expected) { try HTTPURL(parsing: text) }
    }

    @Test("references resolve against a base per RFC 3986", arguments: [
        ("g", "http://a.test/b/c/g"),
        ("./g", "http://a.test/b/c/g"),
        ("g/", "http://a.test/b/c/g/"),
        ("/g", "http://a.test/g"),
        ("//g.test/x", "http://g.test/x"),
        ("?y", "http://a.test/b/c/d?y"),
        ("g?y#s", "http://a.test/b/c/g?y"),
        ("", "http://a.test/b/c/d?q"),
        ("#s", "http://a.test/b/c/d?q"),
        ("..", "http://a.test/b/"),
        ("../g", "http://a.test/b/g"),
        ("../../../g", "http://a.test/g"),
        ("/./g/.", "http://a.test/g/"),
        ("  /spaced path ", "http://a.test/spaced%20path"),
        ("https://other.test:8443/z?k", "https://other.test:8443/z?k"),
    ])
    func resolution(reference: String, expected: String) throws {
        let base = try HTTPURL(parsing: "http://a.test/b/c/d?q")
        #expect(try base.resolving(reference).description == expected)
    }

    @Test("a relative redirect keeps scheme, host, port and credentials")
    func relativeKeepsOrigin() throws {
        let base = try HTTPURL(parsing: "https://u:p@a.test:8443/x/y")
        let next = try base.resolving("z")
        #expect(next.scheme == .https)
        #expect(next.port == 8443)
        #expect(next.user == "u")
        #expect(next.sameOrigin(as: base))
        #expect(try !base.resolving("http://a.test:8443/").sameOrigin(as: base))
    }

    @Test("redirects to other schemes or broken URLs are refused")
    func badReferences() throws {
        let base = try HTTPURL(parsing: "http://a.test/")
        #expect(throws: HTTPURLError.unsupportedScheme("ftp")) { try base.resolving("ftp://a.test/") }
        #expect(throws: HTTPURLError.invalid("'mailto:x@a.test' has no authority")) { try base.resolving("mailto:x@a.test") }
        #expect(throws: HTTPURLError.self) { try base.resolving("/a\u{1}b") }
    }

    @Test("dot segments never climb above the root")
    func dotSegments() {
        #expect(HTTPURL.removingDotSegments("/a/b/c/./../../g") == "/a/g")
        #expect(HTTPURL.removingDotSegments("/../../x") == "/x")
        #expect(HTTPURL.removingDotSegments("/") == "/")
        #expect(HTTPURL.removingDotSegments("/a//b") == "/a//b")
    }
}
