import Foundation
import NoitConfig
import Testing

@Suite("Serialization and saving")
struct SerializationTests {
    /// Laid out unlike libxml2's output, so a round trip moves every line.
    static let messy = """
    <noit><journal path="j"/>
    <filtersets><filterset name="f"><rule type="deny" metric="^tt_"/></filterset></filtersets>
    <config id="t"><code>^2</code></config>
          <checks period="30000">
      <!-- keep this comment -->
      <web module="http" filterset="f"><config inherit="t"><header_X>  spaced  </header_X></config>
    <check uuid="\(Fixtures.uuid(1))" target="a"><config><url>http://a/?x=1&amp;y=2</url></config></check>
      <check uuid="\(Fixtures.uuid(2))" target="b" seq="3" disable="yes"><config><url><![CDATA[http://b/<path>]]></url></config></check></web>
    </checks></noit>
    """

    @Test func roundTripGivesTheSameConfiguration() throws {
        let original = try ConfigDocument(xml: Self.messy, sourceName: "messy.conf")
        let before = try original.resolve(modules: Fixtures.modules)
        let text = original.serializedXML()
        let reparsed = try ConfigDocument(xml: text, sourceName: "messy.conf")
        let after = try reparsed.resolve(modules: Fixtures.modules)
        #expect(after.ignoringLines == before.ignoringLines)
        #expect(after.checks.count == 2)
        #expect(after.checks.first?.definition.config["header_X"] == "  spaced  ")
        // Once in libxml2's layout, the text is stable, lines included.
        #expect(reparsed.serializedXML() == text)
    }

    @Test func serializedXMLIsIndentedWithADeclaration() throws {
        let text = try ConfigDocument(xml: Self.messy, sourceName: "messy.conf").serializedXML()
        #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<noit>\n  <journal path=\"j\"/>\n"))
        #expect(text.contains("<!-- keep this comment -->"))
    }

    @Test func writeReplacesTheFileAndKeepsTheOldOneAsBak() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(Self.messy, to: "noitd.conf")
        let document = try ConfigDocument(contentsOfFile: path)
        try document.write(toFile: path)
        #expect(try directory.read("noitd.conf") == document.serializedXML())
        #expect(try directory.read("noitd.conf.bak") == Self.messy)
        let written = try ConfigLoader.load(path: path, modules: Fixtures.modules)
        let original = try ConfigDocument(contentsOfFile: path + ".bak").resolve(modules: Fixtures.modules)
        #expect(written.checks.map(\.definition) == original.checks.map(\.definition))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["noitd.conf", "noitd.conf.bak"])
    }

    @Test func writeToANewPathCreatesNoBackup() throws {
        let directory = try TemporaryDirectory()
        let document = try ConfigDocument(xml: Self.messy, sourceName: "messy.conf")
        try document.write(toFile: directory.file("new.conf"))
        #expect(try directory.read("new.conf") == document.serializedXML())
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["new.conf"])
    }

    @Test func writeKeepsTheFilesPermissions() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(Self.messy, to: "noitd.conf")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        try ConfigDocument(contentsOfFile: path).write(toFile: path)
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
    }

    @Test func writeIntoAMissingDirectoryFailsAndLeavesNothing() throws {
        let directory = try TemporaryDirectory()
        let document = try ConfigDocument(xml: Self.messy, sourceName: "messy.conf")
        #expect(throws: ConfigWriteError.self) { try document.write(toFile: directory.file("missing/noitd.conf")) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }
}
