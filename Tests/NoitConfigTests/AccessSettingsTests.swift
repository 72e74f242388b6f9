import Foundation
import NoitConfig
import NoitCore
import Testing

/// `<access>`: API tokens and the programs checks may run, whatever path a check comes by.
@Suite("Access settings")
struct AccessSettingsTests {
    static let runner = ModuleDescriptor(name: "runner", summary: "runs a program", parameters: [
        ModuleParameter("command", required: true, runsProgram: true, help: "the program"),
    ])

    static func modules(_ name: String) -> ModuleDescriptor? {
        name == "runner" ? runner : Fixtures.modules(name)
    }

    static func check(_ command: String, disabled: Bool = false) -> String {
        "<checks target=\"h\"><check uuid=\"\(Fixtures.uuid(1))\" module=\"runner\" disable=\"\(disabled)\"><config><command>\(command)</command></config></check></checks>"
    }

    static func issues(_ xml: String) -> [String] {
        do {
            _ = try ConfigDocument(xml: xml, sourceName: "test.conf").resolve(modules: modules)
            return []
        } catch {
            return error.issues.map(\.message)
        }
    }

    @Test func withoutAccessOnlyMonitoringPluginsMayRun() throws {
        let configuration = try ConfigDocument(xml: "<noit/>", sourceName: "t").resolve(modules: Self.modules)
        #expect(configuration.access.programs == ["/usr/lib/nagios/plugins/"])
        #expect(configuration.access.apiTokens.isEmpty)
        #expect(Self.issues("<noit>\(Self.check("/usr/lib/nagios/plugins/check_load"))</noit>").isEmpty)
        let refused = Self.issues("<noit>\(Self.check("/bin/sh"))</noit>")
        #expect(refused == ["command '/bin/sh' is not an allowed program; <access> in the config file allows /usr/lib/nagios/plugins/"])
        // Disabled changes nothing: enabling it later must not be the way around the list.
        #expect(Self.issues("<noit>\(Self.check("/bin/sh", disabled: true))</noit>").count == 1)
    }

    @Test func programsAreFilesOrDirectoriesWithoutClimbing() {
        let access = AccessSettings(programs: ["/opt/plugins/", "/usr/bin/check_thing"])
        for allowed in ["/opt/plugins/check_a", "/opt/plugins/sub/check_b", "/usr/bin/check_thing"] {
            #expect(access.allowsProgram(allowed), "\(allowed)")
        }
        for refused in ["/opt/plugins/", "/opt/plugins/../../bin/sh", "/opt/plugins/./x", "/opt/plugins//x", "/opt/pluginsX/a",
                        "/usr/bin/check_thing2", "/usr/bin/check_thing/", "opt/plugins/a", "", "/bin/sh"] {
            #expect(!access.allowsProgram(refused), "\(refused)")
        }
    }

    @Test func tokensAndProgramsFromTheFileRelativeToIt() throws {
        let directory = try TemporaryDirectory()
        let hash = "sha256:" + String(repeating: "ab", count: 32)
        let path = try directory.write("""
            <noit><access>
              <api_token name="deploy" hash="\(hash)"/>
              <program path="plugins/"/>
              <program path="/usr/local/bin/check_x"/>
            </access></noit>
            """, to: "conf/noitd.conf")
        let configuration = try ConfigLoader.load(path: path, modules: Self.modules)
        #expect(configuration.access.apiTokens == [AccessSettings.APIToken(name: "deploy", digest: [UInt8](repeating: 0xAB, count: 32))])
        #expect(configuration.access.programs == [directory.file("conf/plugins") + "/", "/usr/local/bin/check_x"])
    }

    @Test func mistakesAreNamed() {
        let cases: [(String, String)] = [
            (#"<api_token name="a" hash="noit_plaintoken"/>"#, "from `noitd --make-token`, not the token itself"),
            (#"<api_token hash="sha256:00"/>"#, "needs a name"),
            (#"<api_token name="a" hash="sha256:\#(String(repeating: "0", count: 64))"/><api_token name="a" hash="sha256:\#(String(repeating: "1", count: 64))"/>"#,
             "duplicate api_token name 'a'"),
            (#"<program/>"#, "needs a path"),
            (#"<program path="/opt/../bin/"/>"#, "without . or .."),
            (#"<user name="x"/>"#, "expected <api_token> or <program>"),
            (#"<api_token name="a" hash="sha256:\#(String(repeating: "0", count: 64))" role="admin"/>"#, "unknown attribute 'role'"),
        ]
        for (inner, message) in cases {
            let found = Self.issues("<noit><access>\(inner)</access></noit>")
            #expect(found.contains { $0.contains(message) }, "\(inner) → \(found)")
        }
    }
}
