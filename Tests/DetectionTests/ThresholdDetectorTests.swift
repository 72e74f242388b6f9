import Detection
import Foundation
import Testing

@Suite struct ThresholdDetectorTests {
    static func feed(_ detector: inout ThresholdDetector, _ values: [Double], start: Int64 = 0, stepMs: Int64 = 10_000) -> [DetectorCondition] {
        values.enumerated().map { index, value in
            detector.observe(SeriesPoint(timeMs: start + Int64(index) * stepMs, value: value)).condition
        }
    }

    @Test func hysteresisKeepsFiringUntilTheClearLevel() {
        var detector = ThresholdDetector(configuration: .init(direction: .above, level: 10, clearLevel: 7))
        let conditions = Self.feed(&detector, [5, 11, 9, 8, 7.5, 7, 9, 10, 10.5])
        #expect(conditions == [.normal, .firing, .firing, .firing, .firing, .normal, .normal, .normal, .firing])
        var again = ThresholdDetector(configuration: .init(level: 10, clearLevel: 7))
        _ = Self.feed(&again, [11])
        #expect(again.observe(SeriesPoint(timeMs: 99, value: 9)).summary == "value 9 still above clear level 7 after going above 10")
    }

    @Test func summariesNameTheValueAndLevel() {
        var detector = ThresholdDetector(configuration: .init(level: 8, persistence: Persistence(consecutive: 3), label: "load"))
        var last: DetectorEvaluation?
        for (index, value) in [9.0, 9.1, 9.2].enumerated() {
            last = detector.observe(SeriesPoint(timeMs: Int64(index) * 1000, value: value))
        }
        #expect(last?.condition == .firing)
        #expect(last?.summary == "load 9.2 above 8 for 3 values")
        #expect(last?.breachStartedMs == 0)
        let cleared = detector.observe(SeriesPoint(timeMs: 3000, value: 7))
        #expect(cleared.summary == "load 7 at or below 8")
        #expect(cleared.breachStartedMs == nil)
    }

    @Test func persistenceByCount() {
        var detector = ThresholdDetector(configuration: .init(level: 10, persistence: Persistence(consecutive: 3)))
        // A non-breaching value while pending starts the count again.
        let conditions = Self.feed(&detector, [11, 12, 9, 11, 12, 13, 14])
        #expect(conditions == [.pending, .pending, .normal, .pending, .pending, .firing, .firing])
    }

    @Test func persistenceByDuration() {
        var detector = ThresholdDetector(configuration: .init(level: 10, persistence: Persistence(consecutive: 0, durationMs: 60_000)))
        // Values every 20 s: the breach starts at 0 s and has lasted 60 s at the fourth value.
        let conditions = Self.feed(&detector, [11, 11, 11, 11, 11], stepMs: 20_000)
        #expect(conditions == [.pending, .pending, .pending, .firing, .firing])
    }

    @Test func persistenceWhicheverComesFirst() {
        // Count 5 or 60 s: with values every 30 s the duration is reached at the third value.
        var slow = ThresholdDetector(configuration: .init(level: 10, persistence: Persistence(consecutive: 5, durationMs: 60_000)))
        #expect(Self.feed(&slow, [11, 11, 11], stepMs: 30_000) == [.pending, .pending, .firing])
        // With values every second the count is reached first.
        var fast = ThresholdDetector(configuration: .init(level: 10, persistence: Persistence(consecutive: 5, durationMs: 60_000)))
        #expect(Self.feed(&fast, [11, 11, 11, 11, 11], stepMs: 1_000) == [.pending, .pending, .pending, .pending, .firing])
    }

    @Test func nonFiniteValuesLeaveTheStateAlone() {
        var detector = ThresholdDetector(configuration: .init(level: 10, persistence: Persistence(consecutive: 2)))
        _ = detector.observe(SeriesPoint(timeMs: 0, value: 11))
        let before = detector
        for value in [Double.nan, .infinity, -.infinity] {
            let evaluation = detector.observe(SeriesPoint(timeMs: 1000, value: value))
            #expect(evaluation.condition == .pending)
        }
        #expect(detector == before)
        #expect(detector.observe(SeriesPoint(timeMs: 2000, value: 12)).condition == .firing)
    }

    @Test func belowDirectionMirrors() {
        var detector = ThresholdDetector(configuration: .init(direction: .below, level: 10, clearLevel: 15))
        let conditions = Self.feed(&detector, [20, 10, 9, 12, 14.9, 15, 9.99])
        #expect(conditions == [.normal, .normal, .firing, .firing, .firing, .normal, .firing])
    }

    @Test func levelItselfIsNotABreach() {
        var detector = ThresholdDetector(configuration: .init(level: 10))
        #expect(Self.feed(&detector, [10, 10.000001, 10]) == [.normal, .firing, .normal])
    }

    @Test func validationErrors() {
        func message(_ configuration: ThresholdDetector.Configuration) -> String? {
            do {
                try configuration.validate()
                return nil
            } catch let error as DetectorConfigurationError {
                return error.description
            } catch {
                return "unexpected \(error)"
            }
        }
        #expect(message(.init(level: 10, clearLevel: 7)) == nil)
        #expect(message(.init(direction: .below, level: 10, clearLevel: 12)) == nil)
        #expect(message(.init(level: .nan))?.contains("level must be a finite number") == true)
        #expect(message(.init(level: .infinity))?.contains("finite") == true)
        #expect(message(.init(level: 10, clearLevel: 11))?.contains("must be <= level") == true)
        #expect(message(.init(direction: .below, level: 10, clearLevel: 9))?.contains("must be >= level") == true)
        #expect(message(.init(level: 10, clearLevel: .nan))?.contains("clearLevel") == true)
        #expect(message(.init(level: 10, persistence: Persistence(consecutive: -1)))?.contains("consecutive") == true)
        #expect(message(.init(level: 10, persistence: Persistence(durationMs: -5)))?.contains("durationMs") == true)
        #expect(throws: DetectorConfigurationError.self) { try ThresholdDetector(validating: .init(level: 1, clearLevel: 2)) }
    }

    @Test func roundTripsThroughJSON() throws {
        var detector = ThresholdDetector(configuration: .init(level: 10, clearLevel: 7, persistence: Persistence(consecutive: 2)))
        _ = Self.feed(&detector, [11, 12, 9])
        let restored = try JSONDecoder().decode(ThresholdDetector.self, from: JSONEncoder().encode(detector))
        #expect(restored == detector)
        #expect(restored.condition == .firing)
        let minimal = try JSONDecoder().decode(ThresholdDetector.Configuration.self, from: Data(#"{"level": 3}"#.utf8))
        #expect(minimal == ThresholdDetector.Configuration(level: 3))
    }
}
