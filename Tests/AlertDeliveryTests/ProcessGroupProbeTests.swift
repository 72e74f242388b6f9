#if canImport(Glibc)
import Glibc
#endif
import Testing

@testable import AlertDelivery

@Suite("Process group probe")
struct ProcessGroupProbeTests {
    @Test func parsesStatWithAwkwardCommandNames() throws {
        let line = Array("4242 (sh -c (x) y) S 1 4240 4240 0 -1 4194560 120 0 0 0".utf8)
        let parsed = try #require(ProcessGroupProbe.parseStat(line))
        #expect(parsed.state == "S")
        #expect(parsed.processGroup == 4240)
        #expect(ProcessGroupProbe.parseStat(Array("4242 (zombie) Z 1 77 77".utf8))?.state == "Z")
        #expect(ProcessGroupProbe.parseStat(Array("garbage".utf8)) == nil)
        #expect(ProcessGroupProbe.parseStat(Array("1 (x) R".utf8)) == nil)
    }

    @Test func ownGroupRunsAndAnUnusedOneDoesNot() {
        #expect(ProcessGroupProbe.hasRunningMembers(getpgrp()))
        #expect(!ProcessGroupProbe.hasRunningMembers(Int32.max - 1))
    }
}
