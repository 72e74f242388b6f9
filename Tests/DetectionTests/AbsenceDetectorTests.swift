import Detection
import Foundation
import Testing

@Suite struct AbsenceDetectorTests {
    static let minute: Int64 = 60_000

    @Test func firesWhenSilenceExceedsTheWindow() {
        var detector = AbsenceDetector(configuration: .init(windowMs: 5 * Self.minute))
        #expect(detector.observe(timeMs: 0).condition == .normal)
        #expect(detector.evaluate(nowMs: 5 * Self.minute).condition == .normal)   // exactly the window
        let late = detector.evaluate(nowMs: 5 * Self.minute + 12_000)
        #expect(late.condition == .firing)
        #expect(late.summary == "no data for 5m 12s (window 5m)")
        #expect(late.breachStartedMs == 5 * Self.minute)
        // Data clears it.
        #expect(detector.observe(timeMs: 6 * Self.minute).condition == .normal)
        let recent = detector.evaluate(nowMs: 6 * Self.minute + 30_000)
        #expect(recent.condition == .normal)
        #expect(recent.summary == "data seen 30s ago (window 5m)")
    }

    @Test func neverSeenIsMeasuredFromStart() {
        var detector = AbsenceDetector(configuration: .init(windowMs: 10 * Self.minute))
        detector.start(nowMs: 1_000 * Self.minute)
        #expect(detector.evaluate(nowMs: 1_009 * Self.minute).condition == .normal)
        let firing = detector.evaluate(nowMs: 1_011 * Self.minute)
        #expect(firing.condition == .firing)
        #expect(firing.summary == "no data since watching began for 11m (window 10m)")
    }

    @Test func firstEvaluateActsAsStart() {
        var detector = AbsenceDetector(configuration: .init(windowMs: Self.minute))
        #expect(detector.evaluate(nowMs: 500 * Self.minute).condition == .normal)
        #expect(detector.startedMs == 500 * Self.minute)
        #expect(detector.evaluate(nowMs: 502 * Self.minute).condition == .firing)
    }

    @Test func lateArrivalsDoNotMoveLastSeenBackwards() {
        var detector = AbsenceDetector(configuration: .init(windowMs: Self.minute))
        detector.observe(timeMs: 10 * Self.minute)
        detector.observe(timeMs: 2 * Self.minute)
        #expect(detector.lastSeenMs == 10 * Self.minute)
        #expect(detector.evaluate(nowMs: 10 * Self.minute + 30_000).condition == .normal)
    }

    @Test func validationAndCoding() throws {
        #expect(throws: DetectorConfigurationError.self) { try AbsenceDetector.Configuration(windowMs: 0).validate() }
        #expect(throws: DetectorConfigurationError.self) { try AbsenceDetector.Configuration(windowMs: -5).validate() }
        var detector = AbsenceDetector(configuration: .init(windowMs: Self.minute))
        detector.observe(timeMs: 42)
        let restored = try JSONDecoder().decode(AbsenceDetector.self, from: JSONEncoder().encode(detector))
        #expect(restored == detector)
    }
}
