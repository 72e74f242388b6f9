import NoitCore
import Testing

@testable import CheckModules

@Suite("external: perfdata grammar, without I/O")
struct ExternalPerfdataParserTests {
    func parse(_ text: String) -> ExternalPerfdataParser.Parsed { ExternalPerfdataParser.parse(text) }

    @Test("check_tcp's perfdata: one entry with a unit, thresholds, min and max")
    func checkTCPLine() {
        let parsed = parse("time=0.000123s;;;0.000000;10.000000")
        #expect(parsed.errors == 0)
        #expect(parsed.entries == [ExternalPerfdatum(label: "time", number: "0.000123", unit: "s")])
    }

    @Test("several entries separated by spaces and tabs")
    func severalEntries() {
        let parsed = parse("  time=0.5s;1;2;0;10\tsize=245B;;;0   load1=0.150;5;10;0 ")
        #expect(parsed.errors == 0)
        #expect(parsed.entries.map(\.label) == ["time", "size", "load1"])
        #expect(parsed.entries.map(\.unit) == ["s", "B", ""])
        #expect(parsed.entries.map(\.number) == ["0.5", "245", "0.150"])
    }

    @Test("quoted labels keep spaces, '=' and doubled quotes")
    func quotedLabels() {
        let parsed = parse("'label with spaces'=5ms;10;20 'it''s'=1 'a=b'=2 '''quoted'''=3")
        #expect(parsed.errors == 0)
        #expect(parsed.entries.map(\.label) == ["label with spaces", "it's", "a=b", "'quoted'"])
        #expect(parsed.entries[0].number == "5")
        #expect(parsed.entries[0].unit == "ms")
    }

    @Test("missing optional fields are fine")
    func missingFields() {
        let parsed = parse("a=1 b=2; c=3;;;; d=4;5 e=6;;;;;;;")
        #expect(parsed.errors == 0)
        #expect(parsed.entries.map(\.label) == ["a", "b", "c", "d", "e"])
    }

    @Test("U means an unknown value")
    func unknownValue() {
        let parsed = parse("a=U b=U;1;2 c=Uc")
        #expect(parsed.errors == 0)
        #expect(parsed.entries.map(\.number) == [nil, nil, nil])
        #expect(parsed.entries[2].unit == "c")
    }

    @Test("number forms: sign, leading or trailing dot, exponent, decimal comma")
    func numberForms() {
        let parsed = parse("a=-1.5e3ms b=.5 c=-.25 d=5. e=+7 f=0,5s g=1E-2 h=12e")
        #expect(parsed.errors == 0)
        #expect(parsed.entries.map(\.number) == ["-1.5e3", "0.5", "-0.25", "5", "7", "0.5", "1E-2", "12"])
        #expect(parsed.entries.map(\.unit) == ["ms", "", "", "", "", "s", "", "e"])
    }

    @Test("garbage entries are counted and skipped; the good ones around them survive")
    func garbage() {
        let parsed = parse("x=1 garbage =5 a= b=;5 c=abc d=1.2.3 e=5x5 f=1,2,3 y=2 g=- h=\"q\" z=3")
        #expect(parsed.entries.map(\.label) == ["x", "y", "z"])
        #expect(parsed.errors == 10)
    }

    @Test("an unterminated quote swallows the rest of the text as one error")
    func unterminatedQuote() {
        let parsed = parse("a=1 'never closed=5 b=2")
        #expect(parsed.entries.map(\.label) == ["a"])
        #expect(parsed.errors == 1)
    }

    @Test("a quoted label must be followed by '='")
    func quoteWithoutEquals() {
        let parsed = parse("'a'b=1 'c' =2 d=3")
        #expect(parsed.entries.map(\.label) == ["d"])
        #expect(parsed.errors == 3)
    }

    @Test("unicode labels and units")
    func unicode() {
        let parsed = parse("'température salle'=21.5°C ünïcödé=3 '日本語 ラベル'=42% latency=15µs")
        #expect(parsed.errors == 0)
        #expect(parsed.entries.map(\.label) == ["température salle", "ünïcödé", "日本語 ラベル", "latency"])
        #expect(parsed.entries.map(\.unit) == ["°C", "", "%", "µs"])
    }

    @Test("empty text, separators only, and a stray '|' yield nothing and no errors")
    func emptyInputs() {
        #expect(parse("") == ExternalPerfdataParser.Parsed())
        #expect(parse("   \t  ") == ExternalPerfdataParser.Parsed())
        #expect(parse("a=1 | b=2").entries.map(\.label) == ["a", "b"])
    }

    @Test("units are normalised: times to seconds, sizes to bytes (1 KB = 1024 B)")
    func unitNormalisation() {
        func value(_ text: String) -> MetricValue? {
            ExternalPerfdataParser.parse(text).entries.first?.metricValue
        }
        #expect(value("t=2s") == .double(2))
        #expect(value("t=5ms") == .double(0.005))
        #expect(value("t=250us") == .double(0.000_25))
        #expect(value("t=250µs") == .double(0.000_25))
        #expect(value("b=245B") == .double(245))
        #expect(value("b=2KB") == .double(2048))
        #expect(value("b=3MB") == .double(3 * 1_048_576))
        #expect(value("b=1GB") == .double(1_073_741_824))
        #expect(value("b=1TB") == .double(1_099_511_627_776))
        #expect(value("b=1kb") == .double(1024))
        #expect(value("b=1MiB") == .double(1_048_576))
        #expect(value("p=99.5%") == .double(99.5))
        #expect(value("n=0.150") == .double(0.15))
        #expect(value("n=7") == .double(7))
        #expect(value("o=21.5°C") == .double(21.5))
    }

    @Test("counters stay integral and exact")
    func counters() {
        func value(_ text: String) -> MetricValue? {
            ExternalPerfdataParser.parse(text).entries.first?.metricValue
        }
        #expect(value("c=42c") == .uint64(42))
        #expect(value("c=18446744073709551615c") == .uint64(.max))
        #expect(value("c=-3c") == .int64(-3))
        #expect(value("c=2.5c") == .double(2.5))
        #expect(value("c=99999999999999999999999c") == .double(1e23))
    }

    @Test("unknown values are typed nulls; non-finite numbers are rejected")
    func nullsAndNonFinite() {
        #expect(ExternalPerfdatum(label: "a", number: nil).metricValue == .null(.double))
        #expect(ExternalPerfdatum(label: "a", number: nil, unit: "c").metricValue == .null(.uint64))
        #expect(ExternalPerfdatum(label: "a", number: "1e999").metricValue == nil)
        #expect(ExternalPerfdatum(label: "a", number: "1e300", unit: "TB").metricValue == nil)
    }
}
