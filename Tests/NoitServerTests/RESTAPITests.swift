import Foundation
import CheckModules
import Hummingbird
import HummingbirdTesting
import NoitConfig
import NoitCore
import NoitTestSupport
import Synchronization
import Testing

@testable import NoitServer

/// The REST API (REFERENCE §8) through Hummingbird's router, every status code and both
/// document shapes; the TLS and client-certificate part runs over real sockets with curl.
@Suite("REST API")
struct RESTAPITests {
    let selfcheckID = UUID(uuidString: "11111111-1111-4111-8111-111111111111")!
    let tcpID = UUID(uuidString: "22222222-2222-4222-8222-222222222222")!
    let newID = UUID(uuidString: "55555555-5555-4555-8555-555555555555")!

    /// The body with XML's five entities decoded, to compare messages as an operator reads them.
    static func text(_ response: TestResponse) -> String {
        String(buffer: response.body).replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    func makeNode(_ fixture: NodeFixture) async throws -> NoitNode {
        try fixture.writeConfig(checks: """
            <web module="tcp" period="2000">
              <config><port>1</port></config>
              <check uuid="\(tcpID)" name="ssh"/>
            </web>
            <check uuid="\(selfcheckID)" module="selfcheck"/>
            """)
        let node = try fixture.makeNode()
        await node.start()
        return node
    }

    func withAPI(_ body: @escaping @Sendable (NoitNode, any TestClientProtocol) async throws -> Void) async throws {
        let fixture = try NodeFixture()
        defer { fixture.remove() }
        let node = try await makeNode(fixture)
        let app = Hummingbird.Application(router: buildNodeRouter(node: node))
        try await app.test(.router) { client in try await body(node, client) }
    }

    @Test("show lists every check in XML and JSON, with where each value came from")
    func show() async throws {
        try await withAPI { node, client in
            try await client.execute(uri: "/checks/show", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/xml") == true)
                let body = String(buffer: response.body)
                #expect(body.contains("<check uuid=\"\(tcpID.lowercasedString)\" section=\"/checks/web\">"))
                #expect(body.contains("<period source=\"/noit/checks/web\">2000</period>"))
                #expect(body.contains("<port source=\"/noit/checks/web\">1</port>"))
            }
            try await client.execute(uri: "/checks/show/\(tcpID.lowercasedString).json", method: .get) { response in
                #expect(response.status == .ok)
                let object = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                let attributes = try #require(object["attributes"] as? [String: [String: String]])
                #expect(attributes["name"] == ["value": "ssh", "source": "self"])
                #expect(attributes["timeout"] == ["value": "500", "source": "/noit/checks"])
                #expect(object["section"] as? String == "/checks/web")
                #expect((object["state"] as? [String: Any])?["next_run"] is String)
            }
            try await client.execute(uri: "/checks/show.json", method: .get) { response in
                let list = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]])
                #expect(list.count == 2)
            }
            try await client.execute(uri: "/checks/show/\(newID)", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body).contains("no check \(newID.lowercasedString)"))
            }
            try await client.execute(uri: "/checks/show/not-a-uuid", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test("set creates and updates checks from XML and JSON; the scheduler and journal follow")
    func setCreatesAndUpdates() async throws {
        try await withAPI { node, client in
            let xml = """
                <?xml version="1.0"?>
                <check><attributes><module>selfcheck</module><target>10.1.1.1</target><period>5000</period><seq>1</seq></attributes>
                <config/></check>
                """
            try await client.change(uri: "/checks/set/\(newID)", method: .put, body: xml) { response in
                #expect(response.status == .ok)
                let body = String(buffer: response.body)
                #expect(body.contains("<target source=\"self\">10.1.1.1</target>"))
                #expect(body.contains("<next_run>"))
            }
            #expect(await node.scheduler.contains(newID))
            #expect(node.runningConfigXML.contains(newID.lowercasedString))

            let json = #"{"attributes": {"module": "selfcheck", "target": "10.1.1.1", "period": 7000, "seq": 2}, "config": {}}"#
            try await client.change(uri: "/checks/set/\(newID)", method: .put, json: true, body: json) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                let object = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                #expect((object["attributes"] as? [String: [String: String]])?["period"]?["value"] == "7000")
            }
            #expect(node.checks.definition(newID)?.periodMilliseconds == 7000)
            let records = try node.journalRecords().filter { $0.uuid == newID }
            #expect(records.filter { if case .check = $0 { true } else { false } }.count == 2)
        }
    }

    @Test("400 for bad XML, JSON, attributes, values and a module change, with a precise message")
    func badRequests() async throws {
        try await withAPI { node, client in
            let cases: [(String, String)] = [
                ("<check><attributes><module>selfcheck</module>", "malformed XML"),
                ("<checks/>", "root element must be <check>"),
                ("<check><attributes><colour>red</colour></attributes></check>", "unknown attribute 'colour'"),
                ("<check><attributes><module>selfcheck</module><target>h</target><period>10</period></attributes></check>",
                 "period 10 is below minimum_period 1000"),
                ("<check><attributes><module>nosuch</module><target>h</target></attributes></check>", "unknown module 'nosuch'"),
                ("<check><attributes><module>tcp</module><target>h</target></attributes></check>", "port"),
                (#"{"attributes": {"module": ["x"]}}"#, "'attributes.module' must be a string, number or boolean"),
                (#"{"attributs": {}}"#, "unexpected field 'attributs'"),
                ("{not json", "malformed JSON"),
                ("\u{FF}\u{FE}garbage", "malformed XML"),
            ]
            for (body, message) in cases {
                let json = body.hasPrefix("{")
                try await client.change(uri: "/checks/set/\(newID)", method: .put, json: json, body: body) { response in
                    #expect(response.status == .badRequest, "\(body)")
                    #expect(Self.text(response).contains(message), "\(body) → \(Self.text(response))")
                }
            }
            let moduleChange = "<check><attributes><module>selfcheck</module><target>h</target></attributes></check>"
            try await client.change(uri: "/checks/set/\(tcpID)", method: .put, body: moduleChange) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("module of check \(tcpID.lowercasedString) is tcp and cannot be changed to selfcheck"))
            }
            #expect(await !node.scheduler.contains(newID))
            #expect(node.checks.definition(tcpID)?.module == "tcp")
        }
    }

    @Test("409 for a target and name clash and for a seq not above the stored one")
    func conflicts() async throws {
        try await withAPI { node, client in
            // 127.0.0.1`ssh is the tcp check's identity (target inherited from <checks>).
            let clash = "<check><attributes><module>tcp</module><name>ssh</name></attributes><config><port>2</port></config></check>"
            try await client.change(uri: "/checks/set/\(newID)", method: .put, body: clash) { response in
                #expect(response.status == .conflict)
                #expect(String(buffer: response.body).contains("duplicate check 127.0.0.1`ssh"))
            }
            let first = "<check><attributes><module>selfcheck</module><target>h</target><seq>5</seq></attributes></check>"
            try await client.change(uri: "/checks/set/\(newID)", method: .put, body: first) { response in
                #expect(response.status == .ok)
            }
            for stale in ["5", "4"] {
                let body = "<check><attributes><module>selfcheck</module><target>h</target><seq>\(stale)</seq></attributes></check>"
                try await client.change(uri: "/checks/set/\(newID)", method: .put, body: body) { response in
                    #expect(response.status == .conflict)
                    #expect(String(buffer: response.body).contains("seq \(stale) is not above the stored seq 5"))
                }
            }
            #expect(node.checks.definition(newID)?.seq == 5)
        }
    }

    @Test("delete removes a check (404 the second time); /config, /capa and /checks/test")
    func deleteConfigCapaTest() async throws {
        try await withAPI { node, client in
            try await client.change(uri: "/checks/delete/\(tcpID)", method: .delete) { response in
                #expect(response.status == .ok)
            }
            #expect(await !node.scheduler.contains(tcpID))
            try await client.change(uri: "/checks/delete/\(tcpID)", method: .delete) { response in
                #expect(response.status == .notFound)
            }
            let deletes = try node.journalRecords().filter { if case .delete = $0 { $0.uuid == tcpID } else { false } }
            #expect(deletes.count == 1)
            try await client.execute(uri: "/config", method: .get) { response in
                let body = String(buffer: response.body)
                #expect(body.contains(selfcheckID.lowercasedString))
                #expect(!body.contains(tcpID.lowercasedString))
                let served = try ConfigDocument(xml: body, sourceName: "served").resolve(modules: { node.modules.descriptor(named: $0) })
                #expect(served.checks.count == 1)
            }
            try await client.execute(uri: "/capa.json", method: .get) { response in
                let object = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                #expect(object["version"] as? String == NoitVersion.current)
                #expect((object["services"] as? [String])?.contains("/checks/set") == true)
                #expect((object["modules"] as? [String: String])?["tcp"] != nil)
            }
            try await client.execute(uri: "/capa", method: .get) { response in
                #expect(String(buffer: response.body).contains("<service path=\"/checks/test\"/>"))
            }
            // Its own period and timeout: the fixture's inherited 500 ms is crossed by a run
            // starved on a loaded machine, and this test is about the transient run, not time.
            let test = #"{"attributes": {"module": "selfcheck", "target": "transient", "period": "60000", "timeout": "30000"}}"#
            try await client.change(uri: "/checks/test", method: .post, json: true, body: test) { response in
                #expect(response.status == .ok)
                let object = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                #expect((object["result"] as? [String: Any])?["availability"] as? String == "available")
                #expect(object["target"] as? String == "transient")
            }
            try await client.change(uri: "/checks/test", method: .post, body: "<check><attributes><module>tcp</module></attributes></check>") { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("port"))
            }
            // A transient check is never planned.
            #expect(await node.scheduler.statistics().checkCount == 1)
        }
    }

    @Test("500 set/delete cycles with checks running: the journal and scheduler agree")
    func setDeleteCycles() async throws {
        let fixture = try NodeFixture()
        defer { fixture.remove() }
        let node = try await makeNode(fixture)
        let app = Hummingbird.Application(router: buildNodeRouter(node: node))
        let ids = (0..<10).map { _ in UUID() }
        let alive = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await node.scheduler.run() }
            let alive = try await app.test(.router) { client in
                var alive = Set<UUID>()
                for cycle in 0..<500 {
                    let id = ids[cycle % ids.count]
                    if alive.contains(id), cycle % 3 != 0 {
                        try await client.change(uri: "/checks/delete/\(id)", method: .delete) { #expect($0.status == .ok) }
                        alive.remove(id)
                    } else {
                        let body = "<check><attributes><module>selfcheck</module><target>t\(cycle % ids.count)</target><period>1000</period></attributes></check>"
                        try await client.change(uri: "/checks/set/\(id)", method: .put, body: body) { #expect($0.status == .ok) }
                        alive.insert(id)
                    }
                }
                return alive
            }
            group.cancelAll()
            return alive
        }
        let expected = alive.union([selfcheckID, tcpID])
        for id in ids + [selfcheckID, tcpID] {
            #expect(await node.scheduler.contains(id) == expected.contains(id))
        }
        #expect(await node.scheduler.statistics().checkCount == expected.count)
        // Replaying the C and D records gives exactly the surviving checks.
        var replayed = Set<UUID>()
        for record in try node.journalRecords() {
            switch record {
            case .check(_, let uuid, _, _, _): replayed.insert(uuid)
            case .delete(_, let uuid, _): replayed.remove(uuid)
            default: break
            }
        }
        #expect(replayed == expected)
        #expect(Set(node.currentConfiguration.checks.map(\.definition.uuid)) == expected)
    }
}
