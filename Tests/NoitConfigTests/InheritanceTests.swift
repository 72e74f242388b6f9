import Foundation
import NoitConfig
import NoitCore
import Testing

@Suite("Attribute inheritance")
struct InheritanceTests {
    /// Four levels: <checks>, <region>, <site>, <rack>; each contributes something.
    static let document = """
    <noit>
      <filtersets><filterset name="outer"/><filterset name="inner"/></filtersets>
      <checks period="60000" timeout="9000" module="selfcheck" filterset="outer">
        <region module="tcp" disable="yes">
          <site period="20000" target="10.0.0.1">
            <rack timeout="4000" filterset="inner">
              <config><port>22</port></config>
              <check uuid="\(Fixtures.uuid(1))" name="ssh"/>
              <check uuid="\(Fixtures.uuid(2))" name="ssh-fast" period="5000" timeout="1000" disable="off" target="10.0.0.2"/>
            </rack>
          </site>
        </region>
      </checks>
    </noit>
    """

    @Test func takesEachAttributeFromTheNearestAncestorThatHasIt() throws {
        let check = try #require(try Fixtures.resolve(Self.document).checks.first)
        #expect(check.definition.module == "tcp")  // from region, over checks' selfcheck
        #expect(check.definition.periodMilliseconds == 20000)  // from site, over checks' 60000
        #expect(check.definition.timeoutMilliseconds == 4000)  // from rack, over checks' 9000
        #expect(check.definition.target == "10.0.0.1")
        #expect(check.definition.disabled)
        #expect(check.definition.filterset == "inner")
    }

    @Test func recordsWhereEachAttributeCameFrom() throws {
        let check = try #require(try Fixtures.resolve(Self.document).checks.first)
        #expect(check.attributeSources == [
            "module": "/noit/checks/region",
            "period": "/noit/checks/region/site",
            "timeout": "/noit/checks/region/site/rack",
            "target": "/noit/checks/region/site",
            "disable": "/noit/checks/region",
            "filterset": "/noit/checks/region/site/rack",
            "name": "self",
            "seq": "default",
        ])
    }

    @Test func theChecksOwnAttributesWin() throws {
        let check = try #require(try Fixtures.resolve(Self.document).checks.last)
        #expect(check.definition.periodMilliseconds == 5000)
        #expect(check.definition.timeoutMilliseconds == 1000)
        #expect(check.definition.disabled == false)
        #expect(check.definition.target == "10.0.0.2")
        #expect(check.attributeSources["period"] == "self")
        #expect(check.attributeSources["disable"] == "self")
        #expect(check.attributeSources["module"] == "/noit/checks/region")
    }

    @Test func nameUuidAndSeqAreNotInherited() throws {
        let document = """
        <noit><checks>
          <group module="selfcheck" target="h">
            <check uuid="\(Fixtures.uuid(1))" name="first" seq="7"/>
            <check uuid="\(Fixtures.uuid(2))"/>
          </group>
        </checks></noit>
        """
        let checks = try Fixtures.resolve(document).checks
        #expect(checks.map(\.definition.name) == ["first", "selfcheck"])
        #expect(checks.map(\.definition.seq) == [7, 0])
        #expect(checks[1].attributeSources["name"] == "default")
    }

    @Test func sameNamedSiblingGroupsGetIndexedPaths() throws {
        let document = """
        <noit><checks>
          <web module="selfcheck"><check uuid="\(Fixtures.uuid(1))" target="a"/></web>
          <web module="selfcheck"><check uuid="\(Fixtures.uuid(2))" target="b"/></web>
        </checks></noit>
        """
        let checks = try Fixtures.resolve(document).checks
        #expect(checks.map { $0.attributeSources["module"] } == ["/noit/checks/web[1]", "/noit/checks/web[2]"])
    }
}
