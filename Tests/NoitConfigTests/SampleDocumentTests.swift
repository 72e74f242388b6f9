import Foundation
import NoitConfig
import NoitCore
import Testing

@Suite("The sample document")
struct SampleDocumentTests {
    @Test func resolvesEverySection() throws {
        let configuration = try Fixtures.resolve(Fixtures.sample)
        #expect(configuration.sourcePath == nil)
        #expect(configuration.journal == JournalSettings(path: "journal", segmentBytes: 16_777_216, fsyncIntervalMilliseconds: 1000, maxBytes: 1_073_741_824))
        #expect(configuration.scheduler == SchedulerBounds(minimumPeriodMilliseconds: 1000, maximumPeriodMilliseconds: 300_000))
        #expect(configuration.listeners == [
            ListenerSettings(type: .http, address: "127.0.0.1", port: 43191),
            ListenerSettings(type: .console, address: "127.0.0.1", port: 32322, options: ["idle_timeout": "900"]),
        ])
        #expect(configuration.filtersets["default"]?.rules == [FiltersetRule(.deny, metric: "^tt_"), FiltersetRule(.allow)])
        #expect(configuration.checks.map(\.definition.name) == ["home", "selfcheck"])
    }

    @Test func resolvesTheWebCheck() throws {
        let configuration = try Fixtures.resolve(Fixtures.sample)
        let home = try #require(configuration.checks.first)
        let expected = CheckDefinition(
            uuid: try #require(UUID(uuidString: "1b4e28ba-2fa1-11d2-883f-0016d3cca427")),
            module: "http", target: "127.0.0.1", name: "home",
            periodMilliseconds: 30000, timeoutMilliseconds: 10000, disabled: false, filterset: "default", seq: 0,
            config: ["shared_key": "x", "code": "^200$", "read_limit": "65536", "method": "GET", "url": "http://127.0.0.1/"]
        )
        #expect(home.definition == expected)
        #expect(home.line == 22)
        #expect(home.attributeSources["period"] == "/noit/checks/web")
        #expect(home.attributeSources["timeout"] == "/noit/checks")
        #expect(home.configSources["code"] == "template web-defaults")
        #expect(home.configSources["method"] == "/noit/checks/web")
        #expect(home.configSources["url"] == "self")
    }

    @Test func resolvesTheSelfcheck() throws {
        let configuration = try Fixtures.resolve(Fixtures.sample)
        let selfcheck = try #require(configuration.checks.last?.definition)
        #expect(selfcheck.module == "selfcheck")
        #expect(selfcheck.name == "selfcheck")
        #expect(selfcheck.periodMilliseconds == 10000)
        #expect(selfcheck.timeoutMilliseconds == 5000)
        #expect(selfcheck.config == ["shared_key": "x"])
        #expect(selfcheck.filterset == nil)
    }

    @Test func moduleDefaultsAreNotAppliedToTheStoredConfig() throws {
        let document = """
        <noit><checks>
          <check uuid="\(Fixtures.uuid(1))" module="http" target="a"><config><url>http://a/</url></config></check>
        </checks></noit>
        """
        let check = try #require(try Fixtures.resolve(document).checks.first)
        #expect(check.definition.config == ["url": "http://a/"])
        #expect(Fixtures.http.applyingDefaults(to: check.definition.config)["code"] == "^200$")
    }
}
