import Foundation
import NoitConfig
import NoitCore
import Testing

/// The in-place editing API the console and REST API build on: every edit is checked by
/// resolving the edited copy, exactly as a config file would be.
@Suite("Config editing")
struct EditingTests {
    static let u1 = UUID(uuidString: Fixtures.uuid(1))!
    static let u2 = UUID(uuidString: Fixtures.uuid(2))!
    static let u3 = UUID(uuidString: Fixtures.uuid(3))!

    static let base = """
    <noit>
      <checks period="60000" timeout="5000">
        <web module="http">
          <config><url>http://example.com/</url></config>
          <check uuid="\(Fixtures.uuid(1))" target="10.0.0.1" name="home"/>
        </web>
        <check uuid="\(Fixtures.uuid(2))" module="tcp" target="10.0.0.2"><config><port>22</port></config></check>
      </checks>
    </noit>
    """

    func document() throws -> ConfigDocument { try ConfigDocument(xml: Self.base, sourceName: "test.conf") }

    func resolved(_ document: ConfigDocument) throws -> NoitConfiguration {
        try document.resolve(modules: Fixtures.modules)
    }

    @Test func copyIsIndependent() throws {
        let original = try document()
        let copy = original.copy()
        try copy.removeCheck(Self.u1)
        #expect(try resolved(original).checks.count == 2)
        #expect(try resolved(copy).checks.count == 1)
    }

    @Test func canonicalPathsWalkLikeAFileSystem() throws {
        let document = try document()
        #expect(try document.canonicalPath("checks") == "/checks")
        #expect(try document.canonicalPath("web", from: "/checks") == "/checks/web")
        #expect(try document.canonicalPath("..", from: "/checks/web") == "/checks")
        #expect(try document.canonicalPath("../..", from: "/checks/web") == "/")
        #expect(try document.canonicalPath("/checks/./web/", from: "/") == "/checks/web")
        #expect(try document.canonicalPath("..", from: "/") == "/")
        #expect(throws: ConfigEditError(.notFound, "no section /checks/nope")) { try document.canonicalPath("nope", from: "/checks") }
        #expect(throws: ConfigEditError.self) { try document.canonicalPath("web']|//*[x='", from: "/checks") }
        #expect(throws: ConfigEditError.self) { try document.canonicalPath("config", from: "/checks/web") }
    }

    @Test func listingShowsAttributesConfigSectionsAndChecks() throws {
        let listing = try document().listing(at: .section("/checks/web"))
        #expect(listing.attributes == [ConfigEntry(name: "module", value: "http")])
        #expect(listing.config == [ConfigEntry(name: "url", value: "http://example.com/")])
        #expect(listing.sections.isEmpty)
        #expect(listing.checks == [Self.u1])
        let top = try document().listing(at: .section("/checks"))
        #expect(top.sections == ["web"])
        #expect(top.checks == [Self.u2])
        #expect(try document().sectionPath(ofCheck: Self.u1) == "/checks/web")
        #expect(try document().sectionPath(ofCheck: Self.u3) == nil)
        #expect(try document().sectionPaths() == [Self.u1: "/checks/web", Self.u2: "/checks"])
    }

    @Test func attributeEditsChangeInheritance() throws {
        let document = try document()
        #expect(try document.setAttribute("period", to: "30000", at: .section("/checks/web")) == nil)
        var checks = try resolved(document).checks
        #expect(checks.first { $0.definition.uuid == Self.u1 }?.definition.periodMilliseconds == 30_000)
        #expect(checks.first { $0.definition.uuid == Self.u1 }?.attributeSources["period"] == "/noit/checks/web")
        #expect(try document.removeAttribute("period", at: .section("/checks/web")) == "30000")
        checks = try resolved(document).checks
        #expect(checks.first { $0.definition.uuid == Self.u1 }?.definition.periodMilliseconds == 60_000)
        #expect(throws: ConfigEditError(.notFound, "no attribute 'period' here")) {
            try document.removeAttribute("period", at: .check(Self.u1))
        }
        #expect(throws: ConfigEditError.self) { try document.setAttribute("uuid", to: Fixtures.uuid(9), at: .check(Self.u1)) }
    }

    @Test func aBadValueIsRefusedByResolving() throws {
        let document = try document()
        try document.setAttribute("period", to: "500", at: .check(Self.u2))
        let error = #expect(throws: ConfigError.self) { try resolved(document) }
        #expect(error?.issues.map(\.message) == ["period 500 is below minimum_period 1000"])
    }

    @Test func configKeysAreSetEscapedAndRemoved() throws {
        let document = try document()
        #expect(try document.setConfig("url", to: "http://a/?x=1&y=<2>", at: .check(Self.u1)) == nil)
        var check = try resolved(document).checks.first { $0.definition.uuid == Self.u1 }
        #expect(check?.definition.config["url"] == "http://a/?x=1&y=<2>")
        #expect(check?.configSources["url"] == "self")
        // The serialized text loads back to the same value.
        let reparsed = try ConfigDocument(xml: document.serializedXML(), sourceName: "again.conf")
        #expect(try resolved(reparsed).checks.first { $0.definition.uuid == Self.u1 }?.definition.config["url"] == "http://a/?x=1&y=<2>")

        #expect(try document.removeConfig("url", at: .check(Self.u1)) == "http://a/?x=1&y=<2>")
        check = try resolved(document).checks.first { $0.definition.uuid == Self.u1 }
        #expect(check?.definition.config["url"] == "http://example.com/")
        #expect(!document.serializedXML().contains("<check uuid=\"\(Fixtures.uuid(1))\" target=\"10.0.0.1\" name=\"home\">\n"))
        #expect(throws: ConfigEditError.self) { try document.removeConfig("url", at: .check(Self.u1)) }
        #expect(throws: ConfigEditError.self) { try document.setConfig("bad key", to: "x", at: .check(Self.u1)) }
    }

    @Test func sectionsAreCreatedAndOnlyEmptyOnesRemoved() throws {
        let document = try document()
        try document.addSection(named: "dc1", at: "/checks")
        #expect(throws: ConfigEditError.self) { try document.addSection(named: "dc1", at: "/checks") }
        #expect(throws: ConfigEditError.self) { try document.addSection(named: "check", at: "/checks") }
        try document.addCheck(Self.u3, attributes: [.init(name: "module", value: "tcp"), .init(name: "target", value: "10.0.0.3")],
                              config: [.init(name: "port", value: "80")], at: "/checks/dc1")
        #expect(try resolved(document).checks.count == 3)
        let refusal = #expect(throws: ConfigEditError.self) { try document.removeSection(named: "dc1", at: "/checks") }
        #expect(refusal?.kind == .conflict)
        try document.removeCheck(Self.u3)
        try document.removeSection(named: "dc1", at: "/checks")
        #expect(try document.listing(at: .section("/checks")).sections == ["web"])
    }

    @Test func addingAClashingCheckIsAConflict() throws {
        let document = try document()
        try document.addCheck(Self.u3, attributes: [.init(name: "module", value: "tcp"), .init(name: "target", value: "10.0.0.2")],
                              config: [.init(name: "port", value: "80")], at: "/checks")
        let error = #expect(throws: ConfigError.self) { try resolved(document) }
        #expect(error?.issues.map(\.kind) == [.conflict])
        #expect(error?.issues.first?.message == "duplicate check 10.0.0.2`tcp: target and name are already used (the first is at line 7)")
        #expect(throws: ConfigEditError.self) { try document.addCheck(Self.u1, attributes: [], config: [], at: "/checks") }
    }

    @Test func replacingACheckKeepsItsPlaceAndDropsWhatItNoLongerSets() throws {
        let document = try document()
        let created = try document.replaceCheck(
            Self.u1, attributes: [.init(name: "target", value: "10.9.9.9"), .init(name: "period", value: "15000")],
            config: [.init(name: "url", value: "http://other/")], orCreateAt: "/checks")
        #expect(!created)
        let check = try resolved(document).checks.first { $0.definition.uuid == Self.u1 }
        #expect(check?.definition.module == "http")  // still inherited from <web>
        #expect(check?.definition.target == "10.9.9.9")
        #expect(check?.definition.name == "http")    // name="home" is gone
        #expect(check?.definition.periodMilliseconds == 15_000)
        #expect(try document.sectionPath(ofCheck: Self.u1) == "/checks/web")
        #expect(try document.replaceCheck(
            Self.u3, attributes: [.init(name: "module", value: "selfcheck"), .init(name: "target", value: "h")],
            config: [], orCreateAt: "/checks"))
        #expect(try resolved(document).checks.count == 3)
        #expect(document.ownSettings(ofCheck: Self.u3)?.attributes.map(\.name) == ["uuid", "module", "target"])
    }
}
