import Foundation
import NoitConfig
import NoitCore
import Testing

/// One test per way a check can be wrong; each asserts the whole `file:line: element: message`.
@Suite("Check validation")
struct CheckValidationTests {
    static let u1 = Fixtures.uuid(1)
    static let u2 = Fixtures.uuid(2)

    @Test func issueFieldsLocateTheProblem() throws {
        let issue = try Fixtures.singleIssue("""
        <noit><checks>
          <check uuid="\(Self.u1)" module="selfcheck" target="h" period="500"/>
        </checks></noit>
        """)
        #expect(issue.file == "test.conf")
        #expect(issue.line == 2)
        #expect(issue.element == "<check uuid=\"\(Self.u1)\">")
        #expect(issue.message == "period 500 is below minimum_period 1000")
    }

    @Test func periodBelowMinimum() throws {
        let issue = try Fixtures.singleIssue("""
        <noit>
          <scheduler minimum_period="2000"/>
          <checks>
            <check uuid="\(Self.u1)" module="selfcheck" target="h" period="1500"/>
          </checks>
        </noit>
        """)
        #expect(issue.description == "test.conf:4: <check uuid=\"\(Self.u1)\">: period 1500 is below minimum_period 2000")
    }

    @Test func periodAboveMaximum() throws {
        let issue = try Fixtures.singleIssue("""
        <noit><checks>
          <check uuid="\(Self.u1)" module="selfcheck" target="h" period="300001"/>
        </checks></noit>
        """)
        #expect(issue.description == "test.conf:2: <check uuid=\"\(Self.u1)\">: period 300001 is above maximum_period 300000")
    }

    @Test func periodNotAnInteger() throws {
        let issue = try Fixtures.singleIssue("""
        <noit><checks>
          <check uuid="\(Self.u1)" module="selfcheck" target="h" period="60s"/>
        </checks></noit>
        """)
        #expect(issue.description == "test.conf:2: <check uuid=\"\(Self.u1)\">: period '60s' is not an integer")
    }

    @Test func inheritedBadPeriodIsReportedOnceAtTheGroup() throws {
        let issue = try Fixtures.singleIssue("""
        <noit><checks>
          <web module="selfcheck" target="h" period="fast">
            <check uuid="\(Self.u1)"/>
            <check uuid="\(Self.u2)" name="other"/>
          </web>
        </checks></noit>
        """)
        #expect(issue.description == "test.conf:2: <web>: period 'fast' is not an integer")
    }

    @Test func defaultPeriodOutsideTheBounds() throws {
        let issue = try Fixtures.singleIssue("""
        <noit>
          <scheduler maximum_period="30000"/>
          <checks><check uuid="\(Self.u1)" module="selfcheck" target="h"/></checks>
        </noit>
        """)
        #expect(issue.description == "test.conf:3: <check uuid=\"\(Self.u1)\">: default period 60000 is above maximum_period 30000; set period= on the check or on an enclosing element")
    }

    @Test func timeoutNotAnInteger() throws {
        let issue = try Fixtures.singleIssue("""
        <noit><checks>
          <check uuid="\(Self.u1)" module="selfcheck" target="h" timeout="1.5"/>
        </checks></noit>
        """)
        #expect(issue.description == "test.conf:2: <check uuid=\"\(Self.u1)\">: timeout '1.5' is not an integer")
    }

    @Test func timeoutNotPositive() throws {
        let issue = try Fixtures.singleIssue("""
        <noit><checks>
          <check uuid="\(Self.u1)" module="selfcheck" target="h" timeout="0"/>
        </checks></noit>
        """)
        #expect(issue.description == "test.conf:2: <check uuid=\"\(Self.u1)\">: timeout 0 must be positive")
    }

    @Test func timeoutNotBelowPeriod() throws {
        let issue = try Fixtures.singleIssue("""
        <noit><checks timeout="20000">
          <check uuid="\(Self.u1)" module="selfcheck" target="h" period="20000"/>
        </checks></noit>
        """)
        #expect(issue.description == "test.conf:2: <check uuid=\"\(Self.u1)\">: timeout 20000 must be less than period 20000 (timeout from /noit/checks, period from self)")
    }

    @Test func timeoutConflictBetweenGroupsIsReportedOnceAtTheDeeperGroup() throws {
        let issue = try Fixtures.singleIssue("""
        <noit><checks timeout="40000">
          <fast period="30000" module="selfcheck">
            <check uuid="\(Self.u1)" target="a"/>
            <check uuid="\(Self.u2)" target="b"/>
          </fast>
        </checks></noit>
        """)
        #expect(issue.description == "test.conf:2: <fast>: timeout 40000 must be less than period 30000 (timeout from /noit/checks, period from /noit/checks/fast)")
    }

    @Test func disableNotABoolean() throws {
        let issue = try Fixtures.singleIssue("""
        <noit><checks>
          <check uuid="\(Self.u1)" module="selfcheck" target="h" disable="maybe"/>
        </checks></noit>
        """)
        #expect(issue.description == "test.conf:2: <check uuid=\"\(Self.u1)\">: disable 'maybe' must be one of true, false, on, off, yes, no, 1, 0")
    }

    @Test func missingUUID() throws {
        let issue = try Fixtures.singleIssue("""
        <noit><checks>
          <check module="selfcheck" target="h" name="nameless"/>
        </checks></noit>
        """)
        #expect(issue.description == "test.conf:2: <check name=\"nameless\">: missing uuid attribute")
    }

    @Test func invalidUUID() throws {
        let issue = try Fixtures.singleIssue("""
        <noit><checks>
          <check uuid="1b4e28ba-2fa1-11d2-883f" module="selfcheck" target="h"/>
        </checks></noit>
        """)
        #expect(issue.description == "test.conf:2: <check uuid=\"1b4e28ba-2fa1-11d2-883f\">: uuid '1b4e28ba-2fa1-11d2-883f' is not a valid UUID")
    }

    @Test func duplicateUUID() throws {
        let issue = try Fixtures.singleIssue("""
        <noit><checks>
          <check uuid="\(Self.u1)" module="selfcheck" target="a"/>
          <check uuid="\(Self.u1.uppercased())" module="selfcheck" target="b"/>
        </checks></noit>
        """)
        #expect(issue.description == "test.conf:3: <check uuid=\"\(Self.u1.uppercased())\">: duplicate uuid \(Self.u1.uppercased()) (the first is at line 2)")
    }

    @Test func missingModule() throws {
        let issue = try Fixtures.singleIssue("""
        <noit><checks>
          <check uuid="\(Self.u1)" target="h"/>
        </checks></noit>
        """)
        #expect(issue.description == "test.conf:2: <check uuid=\"\(Self.u1)\">: no module: set module= on the check or on an enclosing element")
    }

    @Test func unknownModule() throws {
        let issue = try Fixtures.singleIssue("""
        <noit><checks>
          <check uuid="\(Self.u1)" module="htpp" target="h"/>
        </checks></noit>
        """)
        #expect(issue.description == "test.conf:2: <check uuid=\"\(Self.u1)\">: unknown module 'htpp'")
    }

    @Test func unknownModuleOnAGroup() throws {
        let issue = try Fixtures.singleIssue("""
        <noit><checks>
          <web module="htpp">
            <check uuid="\(Self.u1)" target="h"/>
          </web>
        </checks></noit>
        """)
        #expect(issue.description == "test.conf:2: <web>: unknown module 'htpp'")
    }

    @Test func missingTarget() throws {
        let issue = try Fixtures.singleIssue("""
        <noit><checks>
          <check uuid="\(Self.u1)" module="selfcheck"/>
        </checks></noit>
        """)
        #expect(issue.description == "test.conf:2: <check uuid=\"\(Self.u1)\">: no target: set target= on the check or on an enclosing element")
    }

    @Test func duplicateTargetAndName() throws {
        let issue = try Fixtures.singleIssue("""
        <noit><checks module="selfcheck" target="h">
          <check uuid="\(Self.u1)"/>
          <check uuid="\(Self.u2)" name="selfcheck"/>
        </checks></noit>
        """)
        #expect(issue.description == "test.conf:3: <check uuid=\"\(Self.u2)\">: duplicate check h`selfcheck: target and name are already used (the first is at line 2)")
        #expect(issue.kind == .conflict)
    }

    @Test func undefinedFilterset() throws {
        let issue = try Fixtures.singleIssue("""
        <noit>
          <filtersets><filterset name="default"/></filtersets>
          <checks>
            <check uuid="\(Self.u1)" module="selfcheck" target="h" filterset="defualt"/>
          </checks>
        </noit>
        """)
        #expect(issue.description == "test.conf:4: <check uuid=\"\(Self.u1)\">: filterset 'defualt' is not defined in <filtersets>")
    }

    @Test func unknownConfigKey() throws {
        let issue = try Fixtures.singleIssue("""
        <noit><checks>
          <check uuid="\(Self.u1)" module="tcp" target="h">
            <config><port>22</port><prot>tcp</prot></config>
          </check>
        </checks></noit>
        """)
        #expect(issue.description == "test.conf:2: <check uuid=\"\(Self.u1)\">: unknown config key 'prot' (allowed: port, shared_key)")
    }

    @Test func invalidConfigValueFromAGroup() throws {
        let issue = try Fixtures.singleIssue("""
        <noit><checks>
          <ssh module="tcp">
            <config><port>70000</port></config>
            <check uuid="\(Self.u1)" target="h"/>
          </ssh>
        </checks></noit>
        """)
        #expect(issue.description == "test.conf:4: <check uuid=\"\(Self.u1)\">: config key 'port' has invalid value '70000' (must match \(AllowedPattern.port))")
    }

    @Test func missingRequiredConfigKey() throws {
        let issue = try Fixtures.singleIssue("""
        <noit><checks>
          <check uuid="\(Self.u1)" module="http" target="h"/>
        </checks></noit>
        """)
        #expect(issue.description == "test.conf:2: <check uuid=\"\(Self.u1)\">: required config key 'url' is missing")
    }

    /// The console creates checks disabled; their config is filled in before enabling them.
    @Test func aDisabledCheckMayLackRequiredKeysButNotHaveBadOnes() throws {
        let configuration = try Fixtures.resolve("""
        <noit><checks>
          <check uuid="\(Self.u1)" module="http" target="h" disable="true"/>
        </checks></noit>
        """)
        #expect(configuration.checks.first?.definition.disabled == true)
        let issue = try Fixtures.singleIssue("""
        <noit><checks>
          <check uuid="\(Self.u1)" module="http" target="h" disable="true"><config><method>BREW</method></config></check>
        </checks></noit>
        """)
        #expect(issue.message == "config key 'method' has invalid value 'BREW' (must match (GET|HEAD|POST|PUT))")
    }

    @Test func seqNotAnInteger() throws {
        let issue = try Fixtures.singleIssue("""
        <noit><checks>
          <check uuid="\(Self.u1)" module="selfcheck" target="h" seq="v2"/>
        </checks></noit>
        """)
        #expect(issue.description == "test.conf:2: <check uuid=\"\(Self.u1)\">: seq 'v2' is not an integer")
    }

    @Test func unknownAttributeOnACheck() throws {
        let issue = try Fixtures.singleIssue("""
        <noit><checks>
          <check uuid="\(Self.u1)" module="selfcheck" target="h" peroid="1000"/>
        </checks></noit>
        """)
        #expect(issue.description == "test.conf:2: <check uuid=\"\(Self.u1)\">: unknown attribute 'peroid' (allowed on <check>: uuid, module, target, name, period, timeout, disable, filterset, seq)")
    }

    @Test func unknownAttributeOnAGroup() throws {
        let issue = try Fixtures.singleIssue("""
        <noit><checks>
          <web module="selfcheck" name="web">
            <check uuid="\(Self.u1)" target="h"/>
          </web>
        </checks></noit>
        """)
        #expect(issue.description == "test.conf:2: <web name=\"web\">: unknown attribute 'name' (allowed on group elements: period, timeout, module, target, filterset, disable)")
    }

    @Test func unexpectedElementInsideACheck() throws {
        let issue = try Fixtures.singleIssue("""
        <noit><checks>
          <check uuid="\(Self.u1)" module="selfcheck" target="h">
            <confg/>
          </check>
        </checks></noit>
        """)
        #expect(issue.description == "test.conf:3: <confg>: unexpected element inside <check>; only <config> belongs there")
    }
}
