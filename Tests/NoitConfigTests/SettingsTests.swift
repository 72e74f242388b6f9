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
          <listener type="console" port="4000" password_hash="$6$abc"/>
          <listener type="http" address="0.0.0.0" certificate="/etc/noit/cert.pem" key="/etc/noit/key.pem"/>
        </listeners></noit>
        """)
        #expect(configuration.listeners == [
            ListenerSettings(type: .console, address: "127.0.0.1", port: 4000, options: ["password_hash": "$6$abc"]),
            ListenerSettings(
                type: .http, address: "0.0.0.0", port: 43191,
                options: ["certificate": "/etc/noit/cert.pem", "key": "/etc/noit/key.pem"]
            ),
        ])
    }

    @Test func unknownTopLevelSectionsAreLeftForOthers() throws {
        let configuration = try Fixtures.resolve("<noit><modules><module name=\"http\"/></modules></noit>")
        #expect(configuration.checks.isEmpty)
    }
}
