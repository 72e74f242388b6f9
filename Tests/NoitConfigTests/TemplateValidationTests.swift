import NoitConfig
import Testing

@Suite("Template validation")
struct TemplateValidationTests {
    @Test func unknownTemplate() throws {
        let issue = try Fixtures.singleIssue("""
        <noit><checks>
          <check uuid="\(Fixtures.uuid(1))" module="http" target="h">
            <config inherit="web-defualts"><url>u</url></config>
          </check>
        </checks></noit>
        """)
        #expect(issue.description == "test.conf:3: <config>: unknown template 'web-defualts'")
    }

    @Test func templateCycle() throws {
        let issue = try Fixtures.singleIssue("""
        <noit>
          <config_templates>
            <config id="a" inherit="b"><code>1</code></config>
            <config id="b" inherit="c"/>
            <config id="c" inherit="a"/>
          </config_templates>
          <checks>
            <check uuid="\(Fixtures.uuid(1))" module="http" target="h">
              <config inherit="b"><url>u</url></config>
            </check>
          </checks>
        </noit>
        """)
        #expect(issue.description == "test.conf:5: <config id=\"c\">: template cycle: a -> b -> c -> a")
    }

    @Test func templateInheritingItself() throws {
        let issue = try Fixtures.singleIssue("""
        <noit>
          <config id="loop" inherit="loop"/>
        </noit>
        """)
        #expect(issue.description == "test.conf:2: <config id=\"loop\">: template cycle: loop -> loop")
    }

    @Test func duplicateTemplateID() throws {
        let issue = try Fixtures.singleIssue("""
        <noit>
          <config id="web"><code>1</code></config>
          <config id="web"><code>2</code></config>
        </noit>
        """)
        #expect(issue.description == "test.conf:3: <config id=\"web\">: duplicate template id 'web' (the first is at line 2)")
    }

    @Test func unusedBrokenTemplatesAreReported() throws {
        let issue = try Fixtures.singleIssue("""
        <noit>
          <config id="orphan" inherit="nowhere"/>
        </noit>
        """)
        #expect(issue.description == "test.conf:2: <config id=\"orphan\">: unknown template 'nowhere'")
    }

    @Test func configKeysMustBeText() throws {
        let issue = try Fixtures.singleIssue("""
        <noit><checks>
          <check uuid="\(Fixtures.uuid(1))" module="http" target="h">
            <config><url>u</url><header_X><nested/></header_X></config>
          </check>
        </checks></noit>
        """)
        #expect(issue.description == "test.conf:3: <header_X>: config key 'header_X' must contain only text")
    }

    @Test func strayTextInsideConfig() throws {
        let issue = try Fixtures.singleIssue("""
        <noit><checks>
          <check uuid="\(Fixtures.uuid(1))" module="http" target="h">
            <config>http://h/<url>u</url></config>
          </check>
        </checks></noit>
        """)
        #expect(issue.description == "test.conf:3: <config>: text directly inside <config>; each value belongs in its own key element, like <url>...</url>")
    }
}
