import NoitCore
import Testing

/// The guard's rules, pure: header values in, a refusal (or none) out.
@Suite struct BrowserRequestGuardTests {
    let guardian = BrowserRequestGuard(hostNames: ["noit1.example.net", "Node.Example."])

    func status(
        _ method: String = "PUT", host: String? = "127.0.0.1:43191", origin: String? = nil, site: String? = nil,
        type: String? = "application/json"
    ) -> Int? {
        guardian.check(method: method, authority: host, origin: origin, fetchSite: site, contentType: type)?.status
    }

    @Test func hostsThatCannotBeRebound() {
        for host in ["127.0.0.1", "127.0.0.1:43191", "10.1.2.3:80", "[::1]:43191", "[::1]", "localhost:1", "LOCALHOST",
                     "noit1.example.net", "node.example:43191", "node.example.", nil] {
            #expect(status("GET", host: host) == nil, "\(host ?? "nil")")
        }
    }

    @Test func otherNamesAre421AndJunkIs400() {
        for host in ["rebind.example", "rebind.example:43191", "127.0.0.1.evil.example", "1.2.3", "256.1.1.1", "localhost.evil"] {
            #expect(status("GET", host: host) == 421, "\(host)")
        }
        for host in ["", "user@127.0.0.1", "127.0.0.1:80x", "a:b:c", "[::1", "[::1]x", "host/path"] {
            #expect(status("GET", host: host) == 400, "\(host)")
        }
    }

    @Test func changesFromAnotherSiteAre403() {
        #expect(status(origin: "http://evil.example") == 403)
        #expect(status(origin: "null") == 403)
        #expect(status(origin: "http://127.0.0.1:8080") == 403)  // another port is another origin
        #expect(status(site: "cross-site") == 403)
        #expect(status(site: "same-site") == 403)
        #expect(status(origin: "http://127.0.0.1:43191") == nil)
        #expect(status(site: "same-origin") == nil)
        #expect(status(site: "none") == nil)
        // Reads are not changes: a page may not read the answer anyway (no CORS headers).
        #expect(status("GET", origin: "http://evil.example", site: "cross-site") == nil)
    }

    @Test func bodiesOnlyAsJSONOrXML() {
        for type in ["application/json", "application/json; charset=utf-8", "Application/XML", "text/xml;charset=utf-8",
                     "application/problem+json", "application/atom+xml"] {
            #expect(status(type: type) == nil, "\(type)")
        }
        for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "", "json", nil] {
            #expect(status(type: type) == 415, "\(type ?? "nil")")
            #expect(status("POST", type: type) == 415)
        }
        #expect(status("DELETE", type: nil) == nil)
    }
}
