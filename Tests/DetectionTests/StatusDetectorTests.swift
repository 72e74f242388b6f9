import Detection
import Testing

@Suite struct StatusDetectorTests {
    @Test func firesOnConfiguredProblemsAndClearsOnTheFirstGoodRun() {
        var detector = StatusDetector(configuration: .init(fireOn: [.unavailable], persistence: Persistence(consecutive: 2)))
        let runs: [(Bool, Bool)] = [(true, true), (false, false), (true, false), (false, false), (false, false), (false, false), (true, true)]
        let conditions = runs.enumerated().map { index, run in
            detector.observe(timeMs: Int64(index) * 60_000, available: run.0, good: run.1).condition
        }
        // A bad but available run is not a problem here, so it resets the pending breach.
        #expect(conditions == [.normal, .pending, .normal, .pending, .firing, .firing, .normal])
    }

    @Test func badCountsWhenConfigured() {
        var detector = StatusDetector(configuration: .init(fireOn: [.bad]))
        let evaluation = detector.observe(timeMs: 0, available: true, good: false)
        #expect(evaluation.condition == .firing)
        #expect(evaluation.summary == "check bad for 1 run")
        #expect(evaluation.breachStartedMs == 0)
        #expect(detector.observe(timeMs: 1, available: false, good: false).summary == "check bad for 2 runs")
        #expect(detector.observe(timeMs: 2, available: true, good: true).condition == .normal)
    }

    @Test func bothProblemsAndDurationPersistence() {
        var detector = StatusDetector(configuration: .init(persistence: Persistence(consecutive: 0, durationMs: 120_000)))
        #expect(detector.observe(timeMs: 0, available: false, good: false).condition == .pending)
        #expect(detector.observe(timeMs: 60_000, available: true, good: false).condition == .pending)
        let firing = detector.observe(timeMs: 120_000, available: false, good: false)
        #expect(firing.condition == .firing)
        #expect(firing.summary == "check unavailable and bad for 3 runs")
    }

    @Test func validation() {
        #expect(throws: DetectorConfigurationError.self) { try StatusDetector.Configuration(fireOn: []).validate() }
        #expect(throws: DetectorConfigurationError.self) {
            try StatusDetector.Configuration(persistence: Persistence(consecutive: -2)).validate()
        }
        #expect(throws: Never.self) { try StatusDetector.Configuration().validate() }
    }
}
