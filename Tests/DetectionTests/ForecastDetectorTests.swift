import NoitCore
import Detection
import Foundation
import Testing

@Suite struct ForecastDetectorTests {
    static let hour: Int64 = 3_600_000
    static let start: Int64 = 1_767_571_200_000

    /// A value every minute: `base + slopePerHour * hours` plus seeded Gaussian noise.
    static func linear(base: Double, slopePerHour: Double, noise: Double, hours: Int, seed: UInt64) -> [SeriesPoint] {
        var rng = SplitMix64(seed: seed)
        return (0..<(hours * 60)).map { minute in
            let t = start + Int64(minute) * 60_000
            let value = base + slopePerHour * Double(minute) / 60 + noise * rng.nextGaussian()
            return SeriesPoint(timeMs: t, value: value)
        }
    }

    @Test func predictsTheCrossingOfANoisyLinearSeries() throws {
        // 50 + 1/h crosses 95 at 45 h; after 24 h of data the crossing is 21 h ahead.
        var detector = ForecastDetector(configuration: .init(level: 95, horizonMs: 48 * Self.hour, windowMs: 12 * Self.hour))
        var last: DetectorEvaluation?
        for point in Self.linear(base: 50, slopePerHour: 1, noise: 0.5, hours: 24, seed: 3) {
            last = detector.observe(point)
        }
        let evaluation = try #require(last)
        let latest = Self.start + (24 * 60 - 1) * 60_000
        let truth = Self.start + 45 * Self.hour
        let predicted = try #require(evaluation.predictedCrossingMs)
        let relativeError = Double(abs(predicted - truth)) / Double(truth - latest)
        print("forecast: predicted crossing off by \(relativeError * 100) % of the remaining time")
        #expect(relativeError < 0.05)
        #expect(evaluation.condition == .firing)
        #expect(evaluation.summary.hasPrefix("value predicted to reach 95 at 2026-01-06T2"))
        #expect(evaluation.summary.contains("(in 21h"))

        let line = try #require(detector.trendLine())
        #expect(abs(line.slopePerMs * Double(Self.hour) - 1) < 0.05)
        #expect(line.anchorMs == latest)
        #expect(abs(line.value(atMs: truth) - 95) < 1)
    }

    @Test func firesOnlyWithinTheHorizon() {
        var detector = ForecastDetector(configuration: .init(level: 95, horizonMs: 12 * Self.hour, windowMs: 12 * Self.hour))
        var firstFiring: Int64?
        var beyondHorizon: DetectorEvaluation?
        for point in Self.linear(base: 50, slopePerHour: 1, noise: 0.5, hours: 40, seed: 5) {
            let evaluation = detector.observe(point)
            if point.timeMs == Self.start + 24 * Self.hour { beyondHorizon = evaluation }
            if evaluation.condition == .firing && firstFiring == nil { firstFiring = point.timeMs }
        }
        // 21 h ahead: predicted, but not firing.
        #expect(beyondHorizon?.condition == .normal)
        #expect(beyondHorizon?.predictedCrossingMs != nil)
        #expect(beyondHorizon?.summary.contains("beyond the 12h horizon") == true)
        // Fires once the crossing (45 h) is 12 h away, i.e. around 33 h.
        let fired = Double((firstFiring ?? 0) - Self.start) / Double(Self.hour)
        #expect(abs(fired - 33) < 0.75, "first fired at \(fired) h")
    }

    @Test func flatSeriesPredictsNoCrossing() {
        var detector = ForecastDetector(configuration: .init(level: 95, horizonMs: 24 * Self.hour, windowMs: 6 * Self.hour))
        var last: DetectorEvaluation?
        var predictions = 0
        for seed: UInt64 in 7...9 {
            detector = ForecastDetector(configuration: .init(level: 95, horizonMs: 24 * Self.hour, windowMs: 6 * Self.hour))
            for point in Self.linear(base: 50, slopePerHour: 0, noise: 2, hours: 24, seed: seed) {
                last = detector.observe(point)
                if last?.predictedCrossingMs != nil { predictions += 1 }
            }
        }
        #expect(predictions == 0)
        #expect(last?.condition == .normal)
        #expect(last?.summary.hasPrefix("value not predicted to reach 95 (trend ") == true)

        var exact = ForecastDetector(configuration: .init(level: 95, horizonMs: 24 * Self.hour, windowMs: 6 * Self.hour))
        for point in Self.linear(base: 50, slopePerHour: 0, noise: 0, hours: 7, seed: 7) { last = exact.observe(point) }
        #expect(last?.predictedCrossingMs == nil)
        #expect(exact.trendLine()?.slopePerMs == 0)
    }

    @Test func learningUntilAQuarterWindowAndTenValues() {
        var detector = ForecastDetector(configuration: .init(level: 95, horizonMs: Self.hour, windowMs: 4 * Self.hour))
        let points = Self.linear(base: 50, slopePerHour: 1, noise: 0, hours: 2, seed: 1)
        var conditions: [DetectorCondition] = []
        for point in points[..<61] { conditions.append(detector.observe(point).condition) }
        #expect(conditions[..<60].allSatisfy { $0 == .learning })
        #expect(conditions[60] == .normal)   // 60 minutes = a quarter of 4 h

        var sparse = ForecastDetector(configuration: .init(level: 95, horizonMs: Self.hour, windowMs: 4 * Self.hour))
        var evaluation: DetectorEvaluation?
        for index in 0..<5 { evaluation = sparse.observe(SeriesPoint(timeMs: Self.start + Int64(index) * 20 * 60_000, value: 1)) }
        #expect(evaluation?.condition == .learning)
        #expect(evaluation?.summary == "not enough history yet (5 of 10 values)")
    }

    @Test func alreadyPastTheLevelFiresNow() {
        var detector = ForecastDetector(configuration: .init(level: 60, horizonMs: Self.hour, windowMs: 4 * Self.hour, persistence: Persistence(consecutive: 2)))
        var last: DetectorEvaluation?
        for point in Self.linear(base: 50, slopePerHour: 0, noise: 0.1, hours: 2, seed: 9) { last = detector.observe(point) }
        #expect(last?.condition == .normal)
        let now = Self.start + 2 * Self.hour
        last = detector.observe(SeriesPoint(timeMs: now, value: 61))
        #expect(last?.condition == .pending)
        #expect(last?.predictedCrossingMs == now)
        last = detector.observe(SeriesPoint(timeMs: now + 60_000, value: 62))
        #expect(last?.condition == .firing)
        #expect(last?.summary == "value 62 already past 60")
        #expect(last?.breachStartedMs == now)
    }

    @Test func belowDirectionPredictsDownwardCrossings() throws {
        // Free disk space falling 2 per hour from 100: reaches 10 at 45 h.
        var detector = ForecastDetector(configuration: .init(level: 10, direction: .below, horizonMs: 24 * Self.hour, windowMs: 12 * Self.hour))
        var last: DetectorEvaluation?
        for point in Self.linear(base: 100, slopePerHour: -2, noise: 1, hours: 24, seed: 11) { last = detector.observe(point) }
        let predicted = try #require(last?.predictedCrossingMs)
        let latest = Self.start + (24 * 60 - 1) * 60_000
        let truth = Self.start + 45 * Self.hour
        #expect(Double(abs(predicted - truth)) / Double(truth - latest) < 0.05)
        #expect(last?.condition == .firing)
        // Rising series never cross downwards.
        var rising = ForecastDetector(configuration: .init(level: 10, direction: .below, horizonMs: 24 * Self.hour, windowMs: 12 * Self.hour))
        for point in Self.linear(base: 50, slopePerHour: 1, noise: 1, hours: 12, seed: 13) { last = rising.observe(point) }
        #expect(last?.predictedCrossingMs == nil)
    }

    @Test func stateIsBoundedAndRoundTrips() throws {
        var detector = ForecastDetector(configuration: .init(level: 95, horizonMs: 24 * Self.hour, windowMs: 6 * Self.hour))
        let points = Self.linear(base: 50, slopePerHour: 1, noise: 0.5, hours: 30, seed: 15)
        for point in points[..<1000] { _ = detector.observe(point) }
        let data = try JSONEncoder().encode(detector)
        print("forecast state: \(data.count) bytes of JSON")
        #expect(data.count < 32_000)
        var restored = try JSONDecoder().decode(ForecastDetector.self, from: data)
        #expect(restored == detector)
        for point in points[1000...] { #expect(detector.observe(point) == restored.observe(point)) }
    }

    @Test func validation() {
        #expect(throws: DetectorConfigurationError.self) {
            try ForecastDetector.Configuration(level: .nan, horizonMs: 1, windowMs: Self.hour).validate()
        }
        #expect(throws: DetectorConfigurationError.self) {
            try ForecastDetector.Configuration(level: 1, horizonMs: 0, windowMs: Self.hour).validate()
        }
        #expect(throws: DetectorConfigurationError.self) {
            try ForecastDetector.Configuration(level: 1, horizonMs: 1, windowMs: -Self.hour).validate()
        }
        #expect(throws: Never.self) { try ForecastDetector.Configuration(level: 1, horizonMs: 1, windowMs: Self.hour).validate() }
    }

    @Test func trendLineCrossing() {
        let line = TrendLine(anchorMs: 1_000, intercept: 10, slopePerMs: 0.5)
        #expect(line.value(atMs: 1_010) == 15)
        #expect(line.crossing(of: 20, direction: .above, fromMs: 1_000) == 1_020)
        #expect(line.crossing(of: 5, direction: .above, fromMs: 1_000) == 1_000)
        #expect(line.crossing(of: 5, direction: .below, fromMs: 1_000) == nil)
        #expect(TrendLine(anchorMs: 0, intercept: 1, slopePerMs: 1e-30).crossing(of: 2, direction: .above, fromMs: 0) == nil)
    }
}
