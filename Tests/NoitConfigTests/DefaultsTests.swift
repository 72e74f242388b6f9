import Foundation
import NoitConfig
import NoitCore
import Testing

@Suite("Defaults")
struct DefaultsTests {
    @Test func periodDefaultsTo60SecondsAndTimeoutTo10Seconds() throws {
        let document = """
        <noit><checks><check uuid="\(Fixtures.uuid(1))" module="selfcheck" target="h"/></checks></noit>
        """
        let check = try #require(try Fixtures.resolve(document).checks.first)
        #expect(check.definition.periodMilliseconds == 60000)
        #expect(check.definition.timeoutMilliseconds == 10000)
        #expect(check.attributeSources["period"] == "default")
        #expect(check.attributeSources["timeout"] == "default")
        #expect(check.attributeSources["disable"] == "default")
        #expect(check.attributeSources["filterset"] == nil)
        #expect(check.definition.disabled == false)
    }

    @Test func timeoutDefaultsToHalfAShortPeriod() throws {
        let document = """
        <noit><checks period="5000"><check uuid="\(Fixtures.uuid(1))" module="selfcheck" target="h"/></checks></noit>
        """
        let check = try #require(try Fixtures.resolve(document).checks.first)
        #expect(check.definition.timeoutMilliseconds == 2500)
    }

    @Test func nameDefaultsToTheModule() throws {
        let document = """
        <noit><checks><check uuid="\(Fixtures.uuid(1))" module="tcp" target="h"><config><port>80</port></config></check></checks></noit>
        """
        let check = try #require(try Fixtures.resolve(document).checks.first)
        #expect(check.definition.name == "tcp")
        #expect(check.attributeSources["name"] == "default")
    }

    @Test func anEmptyNodeUsesDefaultSettings() throws {
        let configuration = try Fixtures.resolve("<noit/>")
        #expect(configuration == NoitConfiguration())
        #expect(configuration.journal.path == "journal")
        #expect(configuration.journal.segmentBytes == 16 * 1024 * 1024)
        #expect(configuration.journal.fsyncIntervalMilliseconds == 1000)
        #expect(configuration.journal.maxBytes == 1 << 30)
        #expect(configuration.scheduler.minimumPeriodMilliseconds == 1000)
        #expect(configuration.scheduler.maximumPeriodMilliseconds == 300_000)
    }

    @Test func disabledChecksAreKept() throws {
        let document = """
        <noit><checks><check uuid="\(Fixtures.uuid(1))" module="selfcheck" target="h" disable="true"/></checks></noit>
        """
        let check = try #require(try Fixtures.resolve(document).checks.first)
        #expect(check.definition.disabled)
    }
}
