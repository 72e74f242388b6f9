import ConsoleServer
import Foundation
import NoitCore
import NoitTestSupport
import Testing

@testable import NoitServer

/// A planted secret (a postgres check's password, a plugin's env_ token, the console's
/// password hash) leaves the node by no path: REST XML and JSON, /config, the console's
/// show commands, the log. Sent back as shown, it keeps the stored value.
@Suite("Secrets never leave the node")
struct SecretsTests {
    static let password = "planted-pg-password-7f3a"
    static let token = "planted-env-token-91c2"
    let postgresID = UUID(uuidString: "66666666-6666-4666-8666-666666666666")!
    let pluginID = UUID(uuidString: "77777777-7777-4777-8777-777777777777")!

    @Test("no response and no log line carries a planted secret; GET → PUT keeps it")
    func plantedSecrets() async throws {
        let fixture = try NodeFixture()
        defer { fixture.remove() }
        let consoleHash = ConsolePassword.hash("s3cret", iterations: 1000)
        try fixture.writeConfig(
            checks: """
                <check uuid="\(postgresID)" module="postgres" name="pg">
                  <config><port>1</port><user>monitor</user><password>\(Self.password)</password><sql>SELECT 1</sql></config>
                </check>
                <check uuid="\(pluginID)" module="external" name="plugin">
                  <config><command>/usr/lib/nagios/plugins/check_dummy</command><arg1>0</arg1><env_API_TOKEN>\(Self.token)</env_API_TOKEN></config>
                </check>
                """,
            listeners: """
                <listeners>
                  <listener type="http" address="127.0.0.1" port="0"/>
                  <listener type="console" address="127.0.0.1" port="0" password="\(consoleHash)"/>
                </listeners>
                """)
        try await RunningNode.with(fixture) { running in
            let base = try #require(running.httpBase)
            var shown: [String] = []
            for path in ["/checks/show", "/checks/show.json", "/checks/show/\(postgresID)", "/checks/show/\(pluginID).json", "/config"] {
                let outcome = try await Curl.run(["\(base)\(path)"])
                #expect(outcome.status == 200, "\(path)")
                shown.append(outcome.body)
            }
            #expect(shown.allSatisfy { $0.contains(SecretKeys.placeholder) })

            let console = try await LineClient.connect(port: try #require(running.consolePort))
            try await console.waitFor("Password: ")
            try await console.send("s3cret\n")
            try await console.waitFor("noit# ")
            for command in ["show running-config", "show startup-config", "show check \(postgresID)", "show check \(pluginID)"] {
                try await console.send(command + "\n")
                try await console.waitFor("noit# ")
            }
            shown.append(console.text)
            await console.close()
            #expect(console.text.contains("password: \(SecretKeys.placeholder)"))

            for text in shown + running.log.lines {
                #expect(!text.contains(Self.password) && !text.contains(Self.token) && !text.contains(consoleHash), "\(text.prefix(300))")
            }

            // GET → PUT of what was shown keeps the stored secrets.
            let document = try await Curl.body(["\(base)/checks/show/\(postgresID).json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(document.utf8)) as? [String: Any])
            let config = try #require(object["config"] as? [String: [String: String]])
            #expect(config["password"]?["value"] == SecretKeys.placeholder)
            var sent = config.compactMapValues { $0["source"] == "self" ? $0["value"] : nil }
            sent["sql"] = "SELECT 2"
            let body = try JSONSerialization.data(withJSONObject: [
                "attributes": ["module": "postgres", "name": "pg", "seq": 1], "config": sent,
            ])
            let put = try await Curl.run([
                "-X", "PUT", "-H", "Authorization: Bearer \(NodeFixture.token)", "-H", "Content-Type: application/json",
                "--data-binary", String(decoding: body, as: UTF8.self), "\(base)/checks/set/\(postgresID)",
            ])
            #expect(put.status == 200, "\(put.body)")
            let stored = try #require(running.node.checks.definition(postgresID))
            #expect(stored.config["password"] == Self.password)
            #expect(stored.config["sql"] == "SELECT 2")
            #expect(running.node.runningConfigXML.contains("<password>\(Self.password)</password>"))

            // A placeholder where nothing is stored is refused, not stored.
            let transient = #"{"attributes": {"module": "postgres", "target": "127.0.0.1"}, "config": {"user": "u", "sql": "SELECT 1", "password": "(secret)"}}"#
            let refused = try await Curl.run([
                "-X", "POST", "-H", "Authorization: Bearer \(NodeFixture.token)", "-H", "Content-Type: application/json",
                "--data-binary", transient, "\(base)/checks/test",
            ])
            #expect(refused.status == 400)
            #expect(refused.body.contains("send the value itself"))
        }
    }

    @Test("what counts as secret")
    func secretKeys() {
        for key in ["password", "auth_password", "PASSWORD", "api_key", "secret", "client_secret", "token", "env_PATHLESS",
                    "env_anything", "header_Authorization", "header_Cookie", "credentials"] {
            #expect(SecretKeys.isSecret(key), "\(key)")
        }
        for key in ["port", "user", "dbname", "sql", "url", "command", "arg1", "header_Host", "code", "environment"] {
            #expect(!SecretKeys.isSecret(key), "\(key)")
        }
    }
}
