import NoitCore
import Testing

@testable import AlertDelivery

@Suite("RFC 3339 timestamps")
struct RFC3339Tests {
    @Test(arguments: [
        (0, "1970-01-01T00:00:00.000Z"),
        (1_714_566_896_789, "2024-05-01T12:34:56.789Z"),
        (1_709_251_199_999, "2024-02-29T23:59:59.999Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (951_782_400_000, "2000-02-29T00:00:00.000Z"),
        (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
    ] as [(Int64, String)])
    func formats(ms: Int64, expected: String) {
        #expect(RFC3339.string(fromEpochMilliseconds: ms) == expected)
    }

    @Test func roundTripsThroughCivilTime() {
        var generator = SplitMix64(seed: 11)
        for _ in 0..<2_000 {
            let ms = Int64.random(in: -5_000_000_000_000...5_000_000_000_000, using: &generator)
            #expect(CivilTime(epochMilliseconds: ms).epochMilliseconds == ms)
        }
    }
}
