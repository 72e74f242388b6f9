import Foundation
import NoitConfig
import NoitCore
import Testing

@Suite("Config merging and templates")
struct ConfigMergeTests {
    static let document = """
    <noit>
      <config_templates>
        <config id="base"><code>^2..$</code><method>HEAD</method><header_Base>b</header_Base></config>
        <config id="web" inherit="base"><method>GET</method><read_limit>1024</read_limit></config>
      </config_templates>
      <checks module="http" target="web.example">
        <config><shared_key>root</shared_key><header_Level>checks</header_Level></config>
        <site>
          <config inherit="web"><header_Level>site</header_Level><read_limit>2048</read_limit></config>
          <rack>
            <config><header_Level>rack</header_Level></config>
            <check uuid="\(Fixtures.uuid(1))" name="home">
              <config><url>http://web.example/</url><method>POST</method></config>
            </check>
          </rack>
        </site>
      </checks>
    </noit>
    """

    @Test func mergesRootDownWithChildrenOverriding() throws {
        let check = try #require(try Fixtures.resolve(Self.document).checks.first)
        #expect(check.definition.config == [
            "shared_key": "root",
            "header_Level": "rack",
            "header_Base": "b",
            "code": "^2..$",
            "method": "POST",
            "read_limit": "2048",
            "url": "http://web.example/",
        ])
    }

    @Test func recordsWhereEachKeyCameFrom() throws {
        let check = try #require(try Fixtures.resolve(Self.document).checks.first)
        #expect(check.configSources == [
            "shared_key": "/noit/checks",
            "header_Level": "/noit/checks/site/rack",
            "header_Base": "template base",
            "code": "template base",
            "method": "self",
            "read_limit": "/noit/checks/site",
            "url": "self",
        ])
    }

    @Test func aTemplateOverridesTheTemplateItInherits() throws {
        let document = """
        <noit>
          <config id="base"><method>HEAD</method></config>
          <config id="web" inherit="base"><method>GET</method></config>
          <checks><check uuid="\(Fixtures.uuid(1))" module="http" target="a">
            <config inherit="web"><url>u</url></config>
          </check></checks>
        </noit>
        """
        let check = try #require(try Fixtures.resolve(document).checks.first)
        #expect(check.definition.config["method"] == "GET")
        #expect(check.configSources["method"] == "template web")
    }

    @Test func keepsValuesExactlyIncludingWhitespace() throws {
        let document = """
        <noit><checks><check uuid="\(Fixtures.uuid(1))" module="http" target="a">
          <config>
            <url> http://a/ </url>
            <header_X><![CDATA[a<b]]></header_X>
            <header_Y>  </header_Y>
          </config>
        </check></checks></noit>
        """
        let check = try #require(try Fixtures.resolve(document).checks.first)
        #expect(check.definition.config == ["url": " http://a/ ", "header_X": "a<b", "header_Y": "  "])
    }
}
