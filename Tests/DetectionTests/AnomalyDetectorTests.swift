import NoitCore
import Detection
import Foundation
import Testing

@Suite struct AnomalyDetectorTests {
    typealias Shape = SyntheticSeries.Shape
    static let day = 288
    static let shape = Shape(base: 100, dailyAmplitude: 20, businessBump: 30, weekendDrop: 25, trendPerDay: 0.2, noise: 3)

    static func warmedUp(days: Int, series: SyntheticSeries) -> AnomalyDetector {
        var detector = AnomalyDetector(configuration: .init())
        for point in series.points[..<(days * day)] { detector.learn(point) }
        return detector
    }

    @Test func learnsBeforeJudgingAndSaysHowLong() {
        var detector = AnomalyDetector(configuration: .init())
        let start = SyntheticSeries.startMs
        var last = detector.observe(SeriesPoint(timeMs: start, value: 1))
        for step in 1...72 {   // six hours at five-minute spacing
            last = detector.observe(SeriesPoint(timeMs: start + Int64(step) * 300_000, value: 1))
        }
        #expect(last.condition == .learning)
        #expect(last.summary == "not enough history yet (6h of 1d)")
        #expect(detector.band(atMs: start) == nil)
        #expect(!detector.isReady)
        #expect(detector.historyMs == 6 * 3_600_000)
    }

    @Test func becomesReadyAfterMinimumHistory() {
        let series = SyntheticSeries(shape: Self.shape, count: 2 * Self.day, seed: 7)
        var detector = AnomalyDetector(configuration: .init())
        for point in series.points[..<(Self.day + 1)] { detector.learn(point) }
        #expect(detector.isReady)
        let next = series.points[Self.day + 1]
        let band = try! #require(detector.band(atMs: next.timeMs))
        #expect(band.lower < band.expected && band.expected < band.upper)
        let evaluation = detector.observe(next)
        #expect(evaluation.condition == .normal)
        #expect(evaluation.band == band)
        #expect(evaluation.summary.hasPrefix("value "))
        #expect(evaluation.summary.contains("within expected"))
    }

    @Test func validationRejectsNonsense() {
        #expect(throws: DetectorConfigurationError.self) { try AnomalyDetector.Configuration(sensitivity: 0).validate() }
        #expect(throws: DetectorConfigurationError.self) { try AnomalyDetector.Configuration(sensitivity: .nan).validate() }
        #expect(throws: DetectorConfigurationError.self) { try AnomalyDetector.Configuration(minimumHistoryMs: -1).validate() }
        #expect(throws: DetectorConfigurationError.self) { try AnomalyDetector.Configuration(bucketMs: 10).validate() }
        #expect(throws: DetectorConfigurationError.self) { try AnomalyDetector.Configuration(adoptShiftAfterMs: 0).validate() }
        #expect(throws: DetectorConfigurationError.self) {
            try AnomalyDetector.Configuration(persistence: Persistence(consecutive: -1)).validate()
        }
        #expect(throws: Never.self) { try AnomalyDetector.Configuration().validate() }
        let error = #expect(throws: DetectorConfigurationError.self) {
            try AnomalyDetector.Configuration(sensitivity: -2).validate()
        }
        #expect(error?.description.contains("sensitivity") == true)
    }

    @Test func spikeFiresWithBandAndSummaryAndBarelyMovesTheBaseline() {
        let series = SyntheticSeries(shape: Self.shape, count: 17 * Self.day, seed: 11)
        var detector = Self.warmedUp(days: 15, series: series)
        let spikeStart = 15 * Self.day + 150   // a Monday, mid-afternoon
        let tomorrow = series.points[spikeStart + Self.day].timeMs
        let before = try! #require(detector.band(atMs: tomorrow))
        var conditions: [DetectorCondition] = []
        var last: DetectorEvaluation?
        for index in spikeStart..<(spikeStart + 4) {
            var point = series.points[index]
            point.value += 150   // 50 noise units
            let evaluation = detector.observe(point)
            conditions.append(evaluation.condition)
            last = evaluation
        }
        #expect(conditions == [.pending, .pending, .firing, .firing])
        let firing = try! #require(last)
        #expect(firing.breachStartedMs == series.points[spikeStart].timeMs)
        #expect(firing.summary.contains("outside expected"))
        #expect(firing.summary.hasSuffix("(anomaly)"))
        let band = try! #require(firing.band)
        #expect(firing.value! > band.upper)

        // Back to normal: clears after as many in-band values as it took to fire.
        var after: [DetectorCondition] = []
        for index in (spikeStart + 4)..<(spikeStart + 7) { after.append(detector.observe(series.points[index]).condition) }
        #expect(after == [.firing, .firing, .normal])

        let afterBand = try! #require(detector.band(atMs: tomorrow))
        #expect(abs(afterBand.expected - before.expected) < 3, "baseline moved \(afterBand.expected - before.expected)")
    }

    @Test func levelShiftIsRelearnedWithinADay() {
        let series = SyntheticSeries(
            shape: Self.shape, count: 18 * Self.day, seed: 13,
            anomalies: [SyntheticSeries.Anomaly(kind: .levelShift, start: 15 * Self.day + 100, length: 0, magnitude: 10)])
        var detector = Self.warmedUp(days: 15, series: series)
        var conditions: [DetectorCondition] = []
        for point in series.points[(15 * Self.day)...] { conditions.append(detector.observe(point).condition) }
        let shiftIndex = 100
        // Noticed within the first hour of the shift ...
        #expect(conditions[shiftIndex..<(shiftIndex + 12)].contains(.firing))
        // ... and normal again a day later, for good.
        let dayLater = shiftIndex + Self.day
        #expect(!conditions[dayLater...].contains(.firing))
        #expect(conditions.last == .normal)
    }

    @Test func weeklyPatternIsUsedOnlyAfterAWeek() {
        // Strong weekend drop: before a week of history the prediction for Saturday follows the
        // weekday pattern; after two weeks it follows the weekend.
        let shape = Shape(base: 100, weekendDrop: 40, noise: 1, dayToDay: 0)
        let series = SyntheticSeries(shape: shape, count: 14 * Self.day, seed: 17)
        let saturdayNoon = SyntheticSeries.startMs + 12 * SyntheticSeries.dayMs + 12 * SyntheticSeries.hourMs

        var early = AnomalyDetector(configuration: .init())
        for point in series.points[..<(5 * Self.day)] { early.learn(point) }   // Monday to Friday
        let earlyBand = try! #require(early.band(atMs: saturdayNoon))
        #expect(abs(earlyBand.expected - 100) < 3)

        var late = AnomalyDetector(configuration: .init())
        for point in series.points[..<(12 * Self.day)] { late.learn(point) }
        let lateBand = try! #require(late.band(atMs: saturdayNoon))
        #expect(abs(lateBand.expected - 60) < 3)
    }

    @Test func denseLiveDataAfterCoarseHistoryStaysQuiet() {
        // History as five-minute averages, then live values every 30 s with the matching raw
        // noise (√10 times the averages' noise): the switch must not look anomalous.
        let rawNoise = 6.0
        let averaged = Shape(base: 200, dailyAmplitude: 40, noise: rawNoise / 10.0.squareRoot(), dayToDay: 0)
        let history = SyntheticSeries(shape: averaged, count: 10 * Self.day, seed: 19)
        var detector = AnomalyDetector(configuration: .init())
        for point in history.points { detector.learn(point) }

        var rng = SplitMix64(seed: 23)
        let liveStart = history.points.last!.timeMs + 300_000
        var firing = 0
        var previous = DetectorCondition.normal
        for step in 0..<(2 * 2_880) {   // two days at 30 s
            let t = liveStart + Int64(step) * 30_000
            let value = averaged.deterministic(atMs: t) + rawNoise * rng.nextGaussian()
            let condition = detector.observe(SeriesPoint(timeMs: t, value: value)).condition
            if condition == .firing && previous != .firing { firing += 1 }
            previous = condition
        }
        #expect(firing == 0)
    }

    @Test func nonFiniteValuesAreIgnored() {
        let series = SyntheticSeries(shape: Self.shape, count: 3 * Self.day, seed: 29)
        var detector = Self.warmedUp(days: 2, series: series)
        let before = detector
        let evaluation = detector.observe(SeriesPoint(timeMs: series.points[2 * Self.day].timeMs, value: .nan))
        #expect(evaluation.condition == .normal)
        #expect(evaluation.value == nil)
        detector.learn(SeriesPoint(timeMs: series.points[2 * Self.day].timeMs, value: .infinity))
        #expect(detector == before)
    }

    @Test func stateRoundTripsAndContinuesIdentically() throws {
        let series = SyntheticSeries(
            shape: Self.shape, count: 10 * Self.day, seed: 31,
            anomalies: [SyntheticSeries.Anomaly(kind: .spike, start: 9 * Self.day + 40, length: 4, magnitude: 20)])
        var original = Self.warmedUp(days: 9, series: series)
        // Stop in the middle of a bucket, with live-rate points, so the open bucket is exercised.
        let middle = SeriesPoint(timeMs: series.points[9 * Self.day].timeMs - 100_000, value: 120)
        _ = original.observe(middle)

        let data = try JSONEncoder().encode(original)
        var restored = try JSONDecoder().decode(AnomalyDetector.self, from: data)
        #expect(restored == original)
        for point in series.points[(9 * Self.day)...] {
            let a = original.observe(point)
            let b = restored.observe(point)
            #expect(a == b)
            if a != b { break }
        }
        #expect(restored == original)
    }

    @Test func encodedStateIsCompactAndVersioned() throws {
        let series = SyntheticSeries(shape: Self.shape, count: 21 * Self.day, seed: 37)
        let detector = Self.warmedUp(days: 21, series: series)
        let data = try JSONEncoder().encode(detector)
        print("anomaly state: \(data.count) bytes of JSON")
        #expect(data.count <= 8_192)

        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["version"] as? Int == AnomalyDetector.stateVersion)
        object["version"] = AnomalyDetector.stateVersion + 1
        let future = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(AnomalyDetector.self, from: future) }
    }

    @Test func configurationDecodesWithMissingFields() throws {
        let decoded = try JSONDecoder().decode(AnomalyDetector.Configuration.self, from: Data(#"{"sensitivity": 5}"#.utf8))
        #expect(decoded == AnomalyDetector.Configuration(sensitivity: 5))
    }
}
