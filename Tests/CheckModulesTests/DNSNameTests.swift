import Testing

@testable import CheckModules

@Suite("dns names and answer text")
struct DNSNameTests {
    @Test("names parse from text with an optional trailing dot, escapes, and the root")
    func parsing() throws {
        let name = try #require(DNSName(text: "www.Example.com."))
        #expect(name.labels.map { String(decoding: $0, as: UTF8.self) } == ["www", "Example", "com"])
        #expect(name.description == "www.Example.com")
        #expect(DNSName(text: ".") == .root)
        #expect(DNSName.root.description == ".")
        let escaped = try #require(DNSName(text: #"a\.b.c\032d.e\\f"#))
        #expect(escaped.labels.count == 3)
        #expect(escaped.labels[0] == Array("a.b".utf8))
        #expect(escaped.labels[1] == Array("c d".utf8))
        #expect(escaped.description == #"a\.b.c\032d.e\\f"#)
        #expect(DNSName(text: escaped.description) == escaped)
    }

    @Test("invalid names are refused: empty labels, a 64-byte label, more than 255 bytes, a broken escape")
    func invalid() {
        #expect(DNSName(text: "") == nil)
        #expect(DNSName(text: "a..b") == nil)
        #expect(DNSName(text: ".a") == nil)
        #expect(DNSName(text: String(repeating: "x", count: 64) + ".test") == nil)
        #expect(DNSName(text: String(repeating: "x", count: 63) + ".test") != nil)
        #expect(DNSName(text: Array(repeating: String(repeating: "x", count: 63), count: 4).joined(separator: ".")) == nil)
        #expect(DNSName(text: Array(repeating: String(repeating: "x", count: 62), count: 4).joined(separator: ".")) != nil)
        #expect(DNSName(text: "a\\") == nil)
        #expect(DNSName(text: "a\\25") == nil)
        #expect(DNSName(text: "a\\256") == nil)
    }

    @Test("name comparison ignores ASCII case only")
    func caseInsensitive() throws {
        let lower = try #require(DNSName(text: "mail.example.com"))
        #expect(lower.matches(try #require(DNSName(text: "MAIL.Example.COM"))))
        #expect(!lower.matches(try #require(DNSName(text: "mail.example.org"))))
        #expect(!lower.matches(try #require(DNSName(text: "example.com"))))
        #expect(try #require(DNSName(labels: [[0xC1]])).matches(try #require(DNSName(labels: [[0xE1]]))) == false)
    }

    @Test("reverse names for IPv4 and IPv6 addresses")
    func reverse() {
        #expect(DNSName(reverseOf: "192.0.2.7")?.description == "7.2.0.192.in-addr.arpa")
        #expect(
            DNSName(reverseOf: "2001:db8::7")?.description
                == "7.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa")
        #expect(DNSName(reverseOf: "::1")?.labels.count == 34)
        #expect(DNSName(reverseOf: "www.example.com") == nil)
        #expect(DNSName(reverseOf: "300.1.1.1") == nil)
    }

    @Test("IPv6 answers print in RFC 5952 form")
    func ipv6Text() {
        func text(_ groups: [UInt16]) -> String {
            DNSRecordData.ipv6Text(groups.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })
        }
        #expect(text([0x2001, 0xdb8, 0, 0, 0, 0, 0, 7]) == "2001:db8::7")
        #expect(text([0, 0, 0, 0, 0, 0, 0, 1]) == "::1")
        #expect(text([0, 0, 0, 0, 0, 0, 0, 0]) == "::")
        #expect(text([0x2001, 0xdb8, 0, 1, 1, 1, 1, 1]) == "2001:db8:0:1:1:1:1:1")
        #expect(text([1, 0, 0, 1, 0, 0, 0, 1]) == "1:0:0:1::1")
        #expect(text([1, 0, 0, 1, 1, 0, 0, 1]) == "1::1:1:0:0:1")
        #expect(text([0xfe80, 0, 0, 0, 0xabcd, 0, 0, 0]) == "fe80::abcd:0:0:0")
    }

    @Test("TXT text escapes backslashes, control bytes and bytes that are not ASCII")
    func txtEscaping() {
        #expect(DNSRecordData.txt([[0x41, 0x5C, 0x0A], [0xFF, 0x20, 0x7E]]).presentation == #"A\\\0a\ff ~"#)
        #expect(DNSRecordData.txt([[]]).presentation == "")
    }

    @Test("other record types print in RFC 3597 generic form")
    func genericText() {
        #expect(DNSRecordData.other([0x01, 0xAB]).presentation == ##"\# 2 01ab"##)
        #expect(DNSRecordType(rawValue: 99).description == "TYPE99")
        #expect(DNSRecordType(mnemonic: "aaaa") == .aaaa)
        #expect(DNSRecordClass(mnemonic: "ch") == .chaos)
        #expect(DNSResponseCode(rawValue: 3).description == "NXDOMAIN")
        #expect(DNSResponseCode(rawValue: 23).description == "RCODE23")
    }
}
