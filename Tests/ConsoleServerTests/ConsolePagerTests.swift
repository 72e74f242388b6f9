import Testing

@testable import ConsoleServer

@Suite struct ConsolePagerTests {
    @Test func pausesAfterAPageAndFollowsKeys() {
        var pager = ConsolePager(pageLength: 2, width: 80)
        let text = "a\r\nb\r\nc\r\nd\r\ne\r\n"
        let (first, rest) = pager.take(text[...])
        #expect(first == "a\r\nb\r\n")
        #expect(rest == "c\r\nd\r\ne\r\n")
        let r1 = pager.more(UInt8(ascii: " "))
        #expect(r1)
        let (second, after) = pager.take(rest!)
        #expect(second == "c\r\nd\r\n")
        let r2 = pager.more(0x0D)
        #expect(r2)  // Enter: one more row.
        let (third, last) = pager.take(after!)
        #expect(third == "e\r\n")
        #expect(last == nil)
        let r3 = pager.more(UInt8(ascii: "q"))
        #expect(!r3)
    }

    @Test func longLinesWrapIntoRows() {
        var pager = ConsolePager(pageLength: 2, width: 10)
        let (now, rest) = pager.take(String(repeating: "x", count: 25)[...])
        #expect(now.count == 20)
        #expect(rest?.count == 5)
    }

    @Test func zeroMeansNoPaging() {
        var pager = ConsolePager(pageLength: 0, width: 10)
        let text = String(repeating: "line\r\n", count: 1000)
        let (now, rest) = pager.take(text[...])
        #expect(now.count == text.count)
        #expect(rest == nil)
    }

    @Test func stateCarriesAcrossWrites() {
        var pager = ConsolePager(pageLength: 2, width: 80)
        let r4 = pager.take("one\r\n"[...])
        #expect(r4.rest == nil)
        let r5 = pager.take("two\r\n"[...])
        #expect(r5.rest == nil)
        let (now, rest) = pager.take("three\r\n"[...])
        #expect(now.isEmpty)
        #expect(rest == "three\r\n")
    }
}
