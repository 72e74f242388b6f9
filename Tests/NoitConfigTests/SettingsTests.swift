import Foundation
import NoitConfig
import Testing

@Suite("Node settings")
struct SettingsTests {
    @Test func relativeJournalPathIsResolvedAgainstTheConfigDirectory() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(#"<noit><journal path="data/journal"/></noit>"#, to: "conf/noitd.conf")
        let configuration = try ConfigLoader.load(path: path, modules: Fixtures.modules)
        #expect(configuration.journal.path == directory.file("conf/data/journal"))
        #expect(configuration.sourcePath == path)
    }

    @Test func defaultJournalPathIsResolvedToo() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("<noit/>", to: "conf/noitd.conf")
        let configuration = try ConfigLoader.load(path: path, modules: Fixtures.modules)
        #expect(configuration.journal.path == directory.file("conf/journal"))
    }

    @Test func absoluteJournalPathIsKept() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(#"<noit><journal path="/var/lib/noit"/></noit>"#, to: "noitd.conf")
        let configuration = try ConfigLoader.load(path: path, modules: Fixtures.modules)
        #expect(configuration.journal.path == "/var/lib/noit")
    }

    @Test func journalPathOfAStringDocumentStaysRelative() throws {
        let configuration = try Fixtures.resolve(#"<noit><journal path="j"/></noit>"#)
        #expect(configuration.journal.path == "j")
    }

    @Test func listenersDefaultWhenTheSectionIsAbsent() throws {
        let configuration = try Fixtures.resolve("<noit/>")
        #expect(configuration.listeners == [
            ListenerSettings(type: .http, address: "127.0.0.1", port: 43191),
            ListenerSettings(type: .console, address: "127.0.0.1", port: 32322),
        ])
    }

    @Test func anEmptyListenersSectionMeansNoListener() throws {
        let configuration = try Fixtures.resolve("<noit><listeners/></noit>")
        #expect(configuration.listeners.isEmpty)
    }

    @Test func listenersAreParsedWithDefaultsAndOptions() throws {
        let configuration = try Fixtures.resolve("""
        <noit><listeners>
          <listener type="console" port="4000" password="pbkdf2-sha256$1$c2FsdA==$a2V5" idle_timeout="600" max_sessions="8"/>
          <listener type="http" address="0.0.0.0" ssl_cert="/etc/noit/cert.pem" ssl_key="/etc/noit/key.pem" ssl_ca="/etc/noit/ca.pem" write_cn="ops"/>
        </listeners></noit>
        """)
        #expect(configuration.listeners == [
            ListenerSettings(type: .console, address: "127.0.0.1", port: 4000, options: [
                "password": "pbkdf2-sha256$1$c2FsdA==$a2V5", "idle_timeout": "600", "max_sessions": "8",
            ]),
            ListenerSettings(
                type: .http, address: "0.0.0.0", port: 43191,
                options: ["ssl_cert": "/etc/noit/cert.pem", "ssl_key": "/etc/noit/key.pem", "ssl_ca": "/etc/noit/ca.pem", "write_cn": "ops"]
            ),
        ])
    }

    @Test func feedListenersDemandTLSAndValidSubscribers() throws {
        let issues = Fixtures.issues("""
        <noit><listeners>
          <listener type="feed" port="43192" subscribers="agg-a, bad/name" auto_subscribe="maybe"/>
        </listeners></noit>
        """)
        #expect(issues.map(\.message) == [
            "a feed listener needs ssl_cert: aggregators connect with TLS and client certificates only",
            "a feed listener needs ssl_key: aggregators connect with TLS and client certificates only",
            "a feed listener needs ssl_ca: aggregators connect with TLS and client certificates only",
            "auto_subscribe 'maybe' must be one of true, false, on, off, yes, no, 1, 0",
            "subscriber 'bad/name' may hold only letters, digits, '.', '_' and '-'",
        ])
        let configuration = try Fixtures.resolve("""
        <noit><listeners>
          <listener type="feed" ssl_cert="/c.pem" ssl_key="/k.pem" ssl_ca="/ca.pem" subscribers="agg-a,agg-b"/>
        </listeners></noit>
        """)
        #expect(configuration.listeners.first?.port == 43192)
        #expect(configuration.listeners.first?.options["subscribers"] == "agg-a,agg-b")
    }

    @Test func listenerOptionsAreChecked() throws {
        let issues = Fixtures.issues("""
        <noit><listeners>
          <listener type="console" port="4000" password="plaintext" idle_timeout="soon" certificate="x"/>
          <listener type="http" ssl_cert="/c.pem" write_cn="ops"/>
        </listeners></noit>
        """)
        #expect(issues.map(\.message) == [
            "unknown attribute 'certificate' (allowed on a console listener: type, address, port, password, idle_timeout, max_sessions)",
            "idle_timeout 'soon' must be a positive integer",
            "password must be a hash from `noitd --hash-password`, not the password itself",
            "ssl_cert and ssl_key go together",
        ])
    }

    @Test func unknownTopLevelSectionsAreLeftForOthers() throws {
        let configuration = try Fixtures.resolve("<noit><modules><module name=\"http\"/></modules></noit>")
        #expect(configuration.checks.isEmpty)
    }
}
