import Foundation
import NoitConfig
import Testing

@Suite("Large configurations")
struct LargeConfigTests {
    /// 100 groups of 100 checks, each group with its own config and template use.
    static func document(groups: Int, checksPerGroup: Int) -> String {
        var text = """
        <noit>
          <config_templates><config id="web"><code>^200$</code></config></config_templates>
          <checks period="60000" timeout="5000" module="http">

        """
        for group in 0..<groups {
            text += "    <site\(group) target=\"10.0.\(group / 256).\(group % 256)\">\n"
            text += "      <config inherit=\"web\"><header_Site>\(group)</header_Site></config>\n"
            for index in 0..<checksPerGroup {
                let n = group * checksPerGroup + index + 1
                text += "      <check uuid=\"\(Fixtures.uuid(n))\" name=\"c\(index)\"><config><url>http://h/\(n)</url></config></check>\n"
            }
            text += "    </site\(group)>\n"
        }
        return text + "  </checks>\n</noit>\n"
    }

    @Test func tenThousandChecksLoad() throws {
        let configuration = try Fixtures.resolve(Self.document(groups: 100, checksPerGroup: 100))
        #expect(configuration.checks.count == 10_000)
        let last = try #require(configuration.checks.last)
        #expect(last.definition.target == "10.0.0.99")
        #expect(last.definition.config == ["code": "^200$", "header_Site": "99", "url": "http://h/10000"])
        #expect(last.attributeSources["target"] == "/noit/checks/site99")
        #expect(last.line == 4 + 99 * 103 + 2 + 99)
    }
}
