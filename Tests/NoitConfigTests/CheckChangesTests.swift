import Foundation
import NoitConfig
import NoitCore
import Testing

@Suite("Check changes on reload")
struct CheckChangesTests {
    static func document(_ checks: String) -> String {
        "<noit><checks module=\"selfcheck\">\n\(checks)\n</checks></noit>"
    }

    @Test func reportsAddedChangedAndRemovedChecks() throws {
        let old = try Fixtures.resolve(Self.document("""
        <check uuid="\(Fixtures.uuid(1))" target="a"/>
        <check uuid="\(Fixtures.uuid(2))" target="b"/>
        <check uuid="\(Fixtures.uuid(3))" target="c"/>
        """))
        let new = try Fixtures.resolve(Self.document("""
        <check uuid="\(Fixtures.uuid(4))" target="d"/>
        <check uuid="\(Fixtures.uuid(2))" target="b" period="30000"/>
        <check uuid="\(Fixtures.uuid(1))" target="a"/>
        """))
        let changes = new.checkChanges(from: old)
        #expect(changes.added.map(\.target) == ["d"])
        #expect(changes.changed.map(\.target) == ["b"])
        #expect(changes.changed.first?.periodMilliseconds == 30000)
        #expect(changes.removed == [try #require(UUID(uuidString: Fixtures.uuid(3)))])
    }

    @Test func movingACheckInTheFileIsNoChange() throws {
        let old = try Fixtures.resolve(Self.document("""
        <check uuid="\(Fixtures.uuid(1))" target="a"/>
        <check uuid="\(Fixtures.uuid(2))" target="b"/>
        """))
        let new = try Fixtures.resolve(Self.document("""

        <check uuid="\(Fixtures.uuid(2))" target="b"/>

        <check uuid="\(Fixtures.uuid(1))" target="a"/>
        """))
        #expect(new.checkChanges(from: old).isEmpty)
    }

    @Test func aChangedConfigKeyIsAChange() throws {
        func configuration(_ value: String) throws -> NoitConfiguration {
            try Fixtures.resolve(Self.document("""
            <check uuid="\(Fixtures.uuid(1))" target="a"><config><shared_key>\(value)</shared_key></config></check>
            """))
        }
        let changes = try configuration("2").checkChanges(from: configuration("1"))
        #expect(changes.changed.map(\.config) == [["shared_key": "2"]])
        #expect(changes.added.isEmpty && changes.removed.isEmpty)
    }
}
