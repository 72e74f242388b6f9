import Foundation
import Hummingbird
import HummingbirdTesting
import NoitConfig
import NoitCore
import NoitTestSupport
import Testing

@testable import NoitServer

/// Who may change a node over REST, and what a web page in the operator's browser cannot do:
/// through the router for the credential rules, and with curl over a real socket for what
/// only a real client sends (Host, Origin, a form's Content-Type).
@Suite("REST access control")
struct RESTAccessTests {
    let selfcheckID = UUID(uuidString: "11111111-1111-4111-8111-111111111111")!
    let newID = UUID(uuidString: "55555555-5555-4555-8555-555555555555")!
    static let selfcheck = "<check><attributes><module>selfcheck</module><target>10.9.9.9</target></attributes></check>"
    static let shell = #"{"attributes": {"module": "external", "target": "127.0.0.1"}, "config": {"command": "/bin/sh", "arg1": "-c", "arg2": "id > owned.txt"}}"#

    func withAPI(
        access: String = NodeFixture.defaultAccess,
        _ body: @escaping @Sendable (NoitNode, LogRecorder, any TestClientProtocol) async throws -> Void
    ) async throws {
        let fixture = try NodeFixture()
        defer { fixture.remove() }
        try fixture.writeConfig(checks: "<check uuid=\"\(selfcheckID)\" module=\"selfcheck\"/>", access: access)
        let log = LogRecorder(label: "node")
        let node = try fixture.makeNode(logger: log.logger)
        await node.start()
        let app = Hummingbird.Application(router: buildNodeRouter(node: node))
        try await app.test(.router) { client in try await body(node, log, client) }
    }

    @Test("every change route: 401 without a credential or with a wrong token, 200 with the token, audited by its name")
    func credentials() async throws {
        try await withAPI { node, log, client in
            let routes: [(String, HTTPRequest.Method, String?)] = [
                ("/checks/set/\(newID)", .put, Self.selfcheck),
                ("/checks/delete/\(selfcheckID)", .delete, nil),
                ("/checks/test", .post, Self.selfcheck.replacingOccurrences(of: "10.9.9.9", with: "10.8.8.8")),
            ]
            for (uri, method, body) in routes {
                let content: HTTPFields = body == nil ? [:] : [.contentType: "application/xml"]
                try await client.execute(uri: uri, method: method, headers: content, body: body.map { ByteBuffer(string: $0) }) { response in
                    #expect(response.status == .unauthorized, "\(uri)")
                    #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                    #expect(String(buffer: response.body).contains("changes need a credential"))
                }
                var wrong = content
                wrong[.authorization] = "Bearer noit_not-the-token"
                try await client.execute(uri: uri, method: method, headers: wrong, body: body.map { ByteBuffer(string: $0) }) { response in
                    #expect(response.status == .unauthorized, "\(uri)")
                    #expect(String(buffer: response.body).contains("the bearer token is not valid"))
                }
            }
            #expect(await !node.scheduler.contains(newID))
            #expect(await node.scheduler.contains(selfcheckID))
            for (uri, method, body) in routes {
                try await client.change(uri: uri, method: method, body: body) { #expect($0.status == .ok, "\(uri)") }
            }
            #expect(await node.scheduler.contains(newID))
            #expect(await !node.scheduler.contains(selfcheckID))
            #expect(log.lines.contains { $0.contains("audit: rest") && $0.contains("token test: set check \(newID.lowercasedString)") })
            #expect(log.lines.contains { $0.contains("change refused: the bearer token is not valid") })
            // The token itself is never logged, only its name.
            #expect(!log.lines.contains { $0.contains(NodeFixture.token) })
        }
    }

    @Test("with no credential configured, changes are refused with 403 and how to configure one")
    func nothingConfigured() async throws {
        try await withAPI(access: "") { node, _, client in
            try await client.change(uri: "/checks/set/\(newID)", method: .put, body: Self.selfcheck) { response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains("noitd --make-token"))
            }
            #expect(await !node.scheduler.contains(newID))
            try await client.execute(uri: "/checks/show/\(selfcheckID)", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test("a program outside <access> is refused on set and on /checks/test, even with a valid token, and audited")
    func programAllowList() async throws {
        try await withAPI { node, log, client in
            try await client.change(uri: "/checks/test", method: .post, json: true, body: Self.shell) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("command '/bin/sh' is not an allowed program"))
            }
            try await client.change(uri: "/checks/set/\(newID)", method: .put, json: true, body: Self.shell) { response in
                #expect(response.status == .badRequest)
            }
            // `..` cannot climb out of an allowed directory.
            let climbing = Self.shell.replacingOccurrences(of: "/bin/sh", with: "/usr/lib/nagios/plugins/../../../bin/sh")
            try await client.change(uri: "/checks/set/\(newID)", method: .put, json: true, body: climbing) { response in
                #expect(response.status == .badRequest)
            }
            #expect(await !node.scheduler.contains(newID))
            #expect(log.lines.contains { $0.contains("audit: rest") && $0.contains("test check: refused") && $0.contains("/bin/sh") })
            #expect(log.lines.contains { $0.contains("set check \(newID.lowercasedString): refused") })
            // A Debian monitoring plugin is allowed by default.
            let plugin = #"{"attributes": {"module": "external", "target": "127.0.0.1", "timeout": "30000", "period": "60000"}, "config": {"command": "/usr/lib/nagios/plugins/check_dummy", "arg1": "0", "arg2": "fine"}}"#
            try await client.change(uri: "/checks/test", method: .post, json: true, body: plugin) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                #expect(String(buffer: response.body).contains("fine"))
            }
        }
    }

    @Test("<access> cannot be changed through the running config, only by the file")
    func accessIsFileOnly() async throws {
        try await withAPI { node, _, _ in
            await #expect(throws: ConfigChangeError.self) {
                try await node.change(by: "test", "widen access") { document, _ in
                    try document.addSection(named: "access", at: "/")
                    return nil
                }
            }
            #expect(node.currentConfiguration.access.apiTokens.map(\.name) == ["test"])
        }
    }

    @Test("with curl over a socket: a rebound Host gets 421, a foreign Origin or a cross-site fetch 403, a form or text body 415")
    func browserBorneRequests() async throws {
        let fixture = try NodeFixture()
        defer { fixture.remove() }
        try fixture.writeConfig(
            checks: "<check uuid=\"\(selfcheckID)\" module=\"selfcheck\"/>",
            listeners: #"<listeners><listener type="http" address="127.0.0.1" port="0" hosts="noit1.example.net"/></listeners>"#)
        try await RunningNode.with(fixture) { running in
            let base = try #require(running.httpBase)
            let port = try #require(running.port(of: "http://"))
            let token = ["-H", "Authorization: Bearer \(NodeFixture.token)"]
            let xml = ["-H", "Content-Type: application/xml"]
            func put(_ extra: [String]) async throws -> Curl.Outcome {
                try await Curl.run(["-X", "PUT"] + extra + ["--data-binary", Self.selfcheck, "\(base)/checks/set/\(newID)"])
            }

            // DNS rebinding: a name that is not this listener's, on reads too.
            let rebound = try await Curl.run(["-H", "Host: rebind.example:\(port)", "\(base)/checks/show"])
            #expect(rebound.status == 421)
            #expect(rebound.body.contains("does not answer to the name 'rebind.example'"))
            #expect(try await put(token + xml + ["-H", "Host: rebind.example"]).status == 421)
            for host in ["localhost:\(port)", "127.0.0.1:\(port)", "NOIT1.example.net.:\(port)"] {
                #expect(try await Curl.run(["-H", "Host: \(host)", "\(base)/checks/show"]).status == 200, "\(host)")
            }

            // A page of another site, even riding on a credential.
            let foreign = try await put(token + xml + ["-H", "Origin: http://evil.example"])
            #expect(foreign.status == 403)
            #expect(foreign.body.contains("http://evil.example"))
            #expect(try await put(token + xml + ["-H", "Origin: null"]).status == 403)
            #expect(try await put(token + xml + ["-H", "Sec-Fetch-Site: cross-site"]).status == 403)
            #expect(try await put(token + xml + ["-H", "Sec-Fetch-Site: same-site"]).status == 403)

            // What a form or fetch() without preflight can send.
            let plain = try await put(token + ["-H", "Content-Type: text/plain"])
            #expect(plain.status == 415)
            #expect(plain.body.contains("'text/plain'"))
            #expect(try await put(token).status == 415)  // curl's default: a form
            #expect(await !running.node.scheduler.contains(newID))

            let allowed = try await put(token + xml + ["-H", "Origin: http://127.0.0.1:\(port)"])
            #expect(allowed.status == 200, "\(allowed.body)")
            #expect(await running.node.scheduler.contains(newID))
        }
    }
}
