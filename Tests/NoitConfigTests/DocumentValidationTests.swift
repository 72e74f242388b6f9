import Foundation
import NoitConfig
import Testing

@Suite("Document validation")
struct DocumentValidationTests {
    @Test func malformedXMLReportsTheLine() throws {
        let issue = try Fixtures.singleIssue("""
        <noit>
          <checks>
            <check uuid="x" module="selfcheck">
          </checks>
        </noit>
        """)
        #expect(issue.file == "test.conf")
        #expect(issue.line == 4)
        #expect(issue.element == nil)
        #expect(issue.message.hasPrefix("malformed XML: "))
        #expect(issue.message.contains("mismatch"))
    }

    @Test func aRecoverableNamespaceErrorDoesNotTruncateTheDocument() throws {
        let configuration = try Fixtures.resolve("""
        <noit>
          <ext:modules/>
          <checks><check uuid="\(Fixtures.uuid(1))" module="selfcheck" target="h"/></checks>
        </noit>
        """)
        #expect(configuration.checks.count == 1)
    }

    @Test func emptyDocumentIsMalformed() throws {
        let issue = try Fixtures.singleIssue("")
        #expect(issue.message.hasPrefix("malformed XML"))
    }

    @Test func rootMustBeNoit() throws {
        let issue = try Fixtures.singleIssue("""
        <?xml version="1.0"?>
        <noitd>
        </noitd>
        """)
        #expect(issue.description == "test.conf:2: <noitd>: root element must be <noit>")
    }

    @Test func missingFileGivesAClearError() throws {
        let path = "/nonexistent-\(UUID().uuidString)/noitd.conf"
        let error = #expect(throws: ConfigError.self) { try ConfigLoader.load(path: path, modules: Fixtures.modules) }
        #expect(error?.description == "\(path): cannot read configuration file: No such file or directory")
    }

    @Test func listenerWithBadType() throws {
        let issue = try Fixtures.singleIssue("""
        <noit>
          <listeners>
            <listener type="https" port="443"/>
          </listeners>
        </noit>
        """)
        #expect(issue.description == "test.conf:3: <listener type=\"https\">: type 'https' must be console, http or feed")
    }

    @Test func listenerWithoutType() throws {
        let issue = try Fixtures.singleIssue("""
        <noit>
          <listeners>
            <listener port="443"/>
          </listeners>
        </noit>
        """)
        #expect(issue.description == "test.conf:3: <listener>: missing type attribute (console or http)")
    }

    @Test func listenerWithBadPort() throws {
        let issue = try Fixtures.singleIssue("""
        <noit>
          <listeners>
            <listener type="http" port="65536"/>
          </listeners>
        </noit>
        """)
        #expect(issue.description == "test.conf:3: <listener type=\"http\">: port '65536' must be an integer from 0 to 65535 (0: any free port)")
    }

    @Test func listenerWithEmptyAddress() throws {
        let issue = try Fixtures.singleIssue("""
        <noit>
          <listeners>
            <listener type="console" address=""/>
          </listeners>
        </noit>
        """)
        #expect(issue.description == "test.conf:3: <listener type=\"console\">: address must not be empty")
    }

    @Test func twoListenersOnOneEndpoint() throws {
        let issue = try Fixtures.singleIssue("""
        <noit>
          <listeners>
            <listener type="console" port="5000"/>
            <listener type="http" port="5000"/>
          </listeners>
        </noit>
        """)
        #expect(issue.description == "test.conf:4: <listener type=\"http\">: 127.0.0.1:5000 is already a listener at line 3")
    }

    @Test func journalAttributesMustBePositiveIntegers() throws {
        let issues = Fixtures.issues("""
        <noit>
          <journal segment_size="0" fsync_interval="-5" max_bytes="1GiB"/>
        </noit>
        """)
        #expect(issues.map(\.description) == [
            "test.conf:2: <journal>: segment_size '0' must be a positive integer",
            "test.conf:2: <journal>: fsync_interval '-5' must be a positive integer",
            "test.conf:2: <journal>: max_bytes '1GiB' must be a positive integer",
        ])
    }

    @Test func unknownJournalAttribute() throws {
        let issue = try Fixtures.singleIssue("""
        <noit>
          <journal pth="/var/noit"/>
        </noit>
        """)
        #expect(issue.description == "test.conf:2: <journal>: unknown attribute 'pth' (allowed on <journal>: path, segment_size, fsync_interval, max_bytes)")
    }

    @Test func schedulerBoundsMustBeOrdered() throws {
        let issue = try Fixtures.singleIssue("""
        <noit>
          <scheduler minimum_period="5000" maximum_period="4000"/>
        </noit>
        """)
        #expect(issue.description == "test.conf:2: <scheduler>: minimum_period 5000 is above maximum_period 4000")
    }

    @Test func duplicateSection() throws {
        let issue = try Fixtures.singleIssue("""
        <noit>
          <journal path="a"/>
          <journal path="b"/>
        </noit>
        """)
        #expect(issue.description == "test.conf:3: <journal>: duplicate <journal> (the first is at line 2)")
    }

    @Test func filtersetRuleWithBadType() throws {
        let issue = try Fixtures.singleIssue("""
        <noit>
          <filtersets>
            <filterset name="f">
              <rule type="drop" metric="^x"/>
            </filterset>
          </filtersets>
        </noit>
        """)
        #expect(issue.description == "test.conf:4: <rule type=\"drop\">: type 'drop' must be allow or deny")
    }

    @Test func filtersetRuleWithBadRegex() throws {
        let issue = try Fixtures.singleIssue("""
        <noit>
          <filtersets>
            <filterset name="f">
              <rule type="deny" metric="(unclosed"/>
            </filterset>
          </filtersets>
        </noit>
        """)
        #expect(issue.description == "test.conf:4: <rule type=\"deny\">: metric pattern '(unclosed' is not a valid regular expression")
    }

    @Test func filtersetWithoutName() throws {
        let issue = try Fixtures.singleIssue("""
        <noit>
          <filtersets>
            <filterset><rule type="allow"/></filterset>
          </filtersets>
        </noit>
        """)
        #expect(issue.description == "test.conf:3: <filterset>: missing name attribute")
    }

    @Test func reportsEveryProblemOrderedByLine() throws {
        let u1 = Fixtures.uuid(1)
        let error = #expect(throws: ConfigError.self) {
            try Fixtures.resolve("""
            <noit>
              <listeners><listener type="ftp"/></listeners>
              <checks>
                <check uuid="\(u1)" module="selfcheck" target="h" period="10"/>
                <check uuid="\(u1)" module="nope"/>
                <check uuid="\(Fixtures.uuid(3))" module="http" target="h" timeout="x"><config><url>u</url><method>GET</method></config></check>
                <check uuid="\(Fixtures.uuid(4))" module="http" target="i"><config><method>DELETE</method></config></check>
              </checks>
            </noit>
            """)
        }
        let issues = try #require(error?.issues)
        #expect(issues.map(\.line) == [2, 4, 5, 5, 5, 6, 7, 7])
        #expect(error?.description == """
        test.conf:2: <listener type="ftp">: type 'ftp' must be console, http or feed
        test.conf:4: <check uuid="\(u1)">: period 10 is below minimum_period 1000
        test.conf:5: <check uuid="\(u1)">: unknown module 'nope'
        test.conf:5: <check uuid="\(u1)">: duplicate uuid \(u1) (the first is at line 4)
        test.conf:5: <check uuid="\(u1)">: no target: set target= on the check or on an enclosing element
        test.conf:6: <check uuid="\(Fixtures.uuid(3))">: timeout 'x' is not an integer
        test.conf:7: <check uuid="\(Fixtures.uuid(4))">: config key 'method' has invalid value 'DELETE' (must match (GET|HEAD|POST|PUT))
        test.conf:7: <check uuid="\(Fixtures.uuid(4))">: required config key 'url' is missing
        """)
    }
}
