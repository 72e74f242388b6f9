import Foundation
import NoitConfig
import NoitCore
import Testing

/// Module descriptors, documents and helpers shared by the configuration tests.
enum Fixtures {
    static let http = ModuleDescriptor(name: "http", summary: "fetches a URL", parameters: [
        ModuleParameter("url", required: true, help: "the URL to fetch"),
        ModuleParameter("code", default: "^200$", help: "status codes counted as good"),
        ModuleParameter("method", allowed: "(GET|HEAD|POST|PUT)", help: "request method"),
        ModuleParameter("read_limit", allowed: AllowedPattern.unsignedInteger, help: "body bytes to read"),
        ModuleParameter("header_", isPrefix: true, help: "request headers"),
        ModuleParameter("shared_key", help: "a key every check of the tests may carry"),
    ])
    static let tcp = ModuleDescriptor(name: "tcp", summary: "connects to a port", parameters: [
        ModuleParameter("port", required: true, allowed: AllowedPattern.port, help: "the port"),
        ModuleParameter("shared_key", help: "a key every check of the tests may carry"),
    ])
    static let selfcheck = ModuleDescriptor(name: "selfcheck", summary: "the node's own health", parameters: [
        ModuleParameter("shared_key", help: "a key every check of the tests may carry"),
    ])

    static func modules(_ name: String) -> ModuleDescriptor? {
        [http, tcp, selfcheck].first { $0.name == name }
    }

    /// A valid UUID distinct for each `n`.
    static func uuid(_ n: Int) -> String {
        String(format: "00000000-0000-4000-8000-%012d", n)
    }

    static func resolve(_ xml: String, sourceName: String = "test.conf") throws(ConfigError) -> NoitConfiguration {
        try ConfigDocument(xml: xml, sourceName: sourceName).resolve(modules: modules)
    }

    /// The issues a document that must be refused is refused with; empty when it was accepted.
    static func issues(_ xml: String) -> [ConfigIssue] {
        do {
            _ = try resolve(xml)
            return []
        } catch {
            return error.issues
        }
    }

    /// The single issue of a document with exactly one problem.
    static func singleIssue(_ xml: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ConfigIssue {
        let found = issues(xml)
        try #require(found.count == 1, "expected one issue, got \(found)", sourceLocation: sourceLocation)
        return found[0]
    }

    /// The document shape the node's conf/noitd.conf follows.
    static let sample = """
    <?xml version="1.0"?>
    <noit>
      <journal path="journal" segment_size="16777216" fsync_interval="1000" max_bytes="1073741824"/>
      <scheduler minimum_period="1000" maximum_period="300000"/>
      <listeners>
        <listener type="http" address="127.0.0.1" port="43191"/>
        <listener type="console" address="127.0.0.1" port="32322" idle_timeout="900"/>
      </listeners>
      <config_templates>
        <config id="web-defaults"><code>^200$</code><read_limit>65536</read_limit></config>
      </config_templates>
      <filtersets>
        <filterset name="default">
          <rule type="deny" metric="^tt_" />
          <rule type="allow" />
        </filterset>
      </filtersets>
      <checks period="60000" timeout="10000">
        <config><shared_key>x</shared_key></config>
        <web module="http" period="30000">
          <config inherit="web-defaults"><method>GET</method></config>
          <check uuid="1b4e28ba-2fa1-11d2-883f-0016d3cca427" target="127.0.0.1" name="home" filterset="default">
            <config><url>http://127.0.0.1/</url></config>
          </check>
        </web>
        <check uuid="00000000-0000-4000-8000-000000000002" module="selfcheck" target="127.0.0.1" period="10000" timeout="5000"/>
      </checks>
    </noit>
    """
}
