import Detection
import Testing

@Suite struct TextFormattingTests {
    @Test func durations() {
        #expect(DurationText.describe(ms: 0) == "0ms")
        #expect(DurationText.describe(ms: 850) == "850ms")
        #expect(DurationText.describe(ms: 1_000) == "1s")
        #expect(DurationText.describe(ms: 312_000) == "5m 12s")
        #expect(DurationText.describe(ms: 300_000) == "5m")
        #expect(DurationText.describe(ms: 6 * 3_600_000) == "6h")
        #expect(DurationText.describe(ms: 86_400_000) == "1d")
        #expect(DurationText.describe(ms: (2 * 24 + 3) * 3_600_000 + 59_000) == "2d 3h")
        #expect(DurationText.describe(ms: 3_600_000 + 5_000) == "1h")
        #expect(DurationText.describe(ms: -90_000) == "-1m 30s")
        #expect(!DurationText.describe(ms: .min).isEmpty)
    }

    @Test func timestamps() {
        #expect(TimestampText.describe(ms: 0) == "1970-01-01T00:00:00Z")
        #expect(TimestampText.describe(ms: 1_795_514_400_000) == "2026-11-24T10:00:00Z")
        #expect(TimestampText.describe(ms: 951_782_400_000) == "2000-02-29T00:00:00Z")
        #expect(TimestampText.describe(ms: -1) == "1969-12-31T23:59:59Z")
        #expect(TimestampText.describe(ms: 4_102_444_799_999) == "2099-12-31T23:59:59Z")
    }
}
