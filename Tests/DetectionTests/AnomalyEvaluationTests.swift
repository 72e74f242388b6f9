import Detection
import Testing

/// A fixed, seeded evaluation of the anomaly detector: injected anomalies of known extent must be
/// found (recall) and clean series must stay quiet (false alerts per 1,000 observed values).
@Suite struct AnomalyEvaluationTests {
    static let pointsPerDay = 288
    static let seriesCount = 35 * pointsPerDay
    static let learnCount = 21 * pointsPerDay
    /// Points after an event's end during which firing still counts as finding it.
    static let grace = 6

    typealias Shape = SyntheticSeries.Shape
    typealias Anomaly = SyntheticSeries.Anomaly

    /// Start of an event, `day` days into the observed part.
    static func at(day: Double) -> Int { learnCount + Int(day * Double(pointsPerDay)) }

    static let anomalous: [(String, Shape, [Anomaly])] = [
        ("web-requests",
         Shape(base: 100, dailyAmplitude: 20, businessBump: 30, weekendDrop: 25, trendPerDay: 0.2, noise: 3),
         [Anomaly(kind: .spike, start: at(day: 1.4), length: 3, magnitude: 8),
          Anomaly(kind: .dip, start: at(day: 5.3), length: 6, magnitude: 7),
          Anomaly(kind: .drift, start: at(day: 9.6), length: 48, magnitude: 10, hold: 12)]),
        ("api-throughput",
         Shape(base: 1000, dailyAmplitude: 300, weekendDrop: 100, noise: 20, autocorrelation: 0.3, dayToDay: 1),
         [Anomaly(kind: .spike, start: at(day: 2.2), length: 4, magnitude: 7),
          Anomaly(kind: .drift, start: at(day: 6.7), length: 72, magnitude: 10, hold: 24),
          Anomaly(kind: .levelShift, start: at(day: 11.5), length: 0, magnitude: 7)]),
        ("queue-depth",
         Shape(base: 50, dailyAmplitude: 10, businessBump: 15, noise: 1.5),
         [Anomaly(kind: .dip, start: at(day: 0.8), length: 5, magnitude: 8),
          Anomaly(kind: .spike, start: at(day: 4.45), length: 3, magnitude: 15),
          Anomaly(kind: .spike, start: at(day: 7.2), length: 6, magnitude: 6),
          Anomaly(kind: .levelShift, start: at(day: 9.9), length: 0, magnitude: -8)]),
        ("login-count",
         Shape(base: 40, dailyAmplitude: 10, businessBump: 10, weekendDrop: 8, poisson: true),
         [Anomaly(kind: .spike, start: at(day: 1.9), length: 3, magnitude: 8),
          Anomaly(kind: .dip, start: at(day: 7.55), length: 6, magnitude: 5),
          Anomaly(kind: .drift, start: at(day: 10.3), length: 48, magnitude: 9, hold: 12)]),
        ("disk-bytes",
         Shape(base: 5e6, dailyAmplitude: 1e6, businessBump: 5e5, weekendDrop: 1e6, trendPerDay: 1e4, noise: 5e4),
         [Anomaly(kind: .spike, start: at(day: 3.1), length: 3, magnitude: 10),
          Anomaly(kind: .dip, start: at(day: 6.35), length: 4, magnitude: 8),
          Anomaly(kind: .levelShift, start: at(day: 10.8), length: 0, magnitude: 7)]),
        ("latency-seconds",
         Shape(base: 0.5, dailyAmplitude: 0.1, noise: 0.02, wideNoise: 0.06, glitches: 0.005),
         [Anomaly(kind: .spike, start: at(day: 1.15), length: 5, magnitude: 7),
          Anomaly(kind: .drift, start: at(day: 4.9), length: 96, magnitude: 12, hold: 12),
          Anomaly(kind: .dip, start: at(day: 9.25), length: 8, magnitude: 6),
          Anomaly(kind: .spike, start: at(day: 12.6), length: 3, magnitude: 9)]),
        ("batch-jobs",
         Shape(base: 300, businessBump: 200, noise: 10, dayToDay: 1),
         [Anomaly(kind: .spike, start: at(day: 2.6), length: 3, magnitude: 9),
          Anomaly(kind: .dip, start: at(day: 7.4), length: 4, magnitude: 8),
          Anomaly(kind: .drift, start: at(day: 11.7), length: 36, magnitude: 12, hold: 6)]),
        ("memory-percent",
         Shape(base: 70, dailyAmplitude: 15, weekendDrop: 20, noise: 2, autocorrelation: 0.5),
         [Anomaly(kind: .spike, start: at(day: 0.55), length: 3, magnitude: 10),
          Anomaly(kind: .dip, start: at(day: 3.8), length: 5, magnitude: 7),
          Anomaly(kind: .drift, start: at(day: 7.9), length: 60, magnitude: 10, hold: 12),
          Anomaly(kind: .levelShift, start: at(day: 12.1), length: 0, magnitude: -7)]),
    ]

    static let clean: [(String, Shape)] = [
        ("web-requests", Shape(base: 100, dailyAmplitude: 20, businessBump: 30, weekendDrop: 25, trendPerDay: 0.2, noise: 3)),
        ("api-throughput", Shape(base: 1000, dailyAmplitude: 300, weekendDrop: 100, noise: 20, autocorrelation: 0.3, dayToDay: 1)),
        ("near-constant", Shape(base: 42, noise: 0.001)),
        ("low-count", Shape(base: 3, dailyAmplitude: 2, businessBump: 2, weekendDrop: 1, poisson: true)),
        ("large-amplitude", Shape(base: 500, dailyAmplitude: 400, businessBump: 200, noise: 2)),
        ("noisy-heavy-tailed", Shape(base: 100, dailyAmplitude: 10, noise: 15, autocorrelation: 0.3, wideNoise: 0.08, glitches: 0.01)),
        ("trending", Shape(base: 200, dailyAmplitude: 30, trendPerDay: 5, noise: 4, dayToDay: 1.5)),
        ("integer-gauge", Shape(base: 20, dailyAmplitude: 3, noise: 0.4, quantum: 1)),
        ("bursty-autocorrelated", Shape(base: 60, dailyAmplitude: 12, businessBump: 8, weekendDrop: 6, noise: 2, autocorrelation: 0.7, dayToDay: 1)),
    ]

    struct Run {
        var conditions: [DetectorCondition]
        /// Observed-part indices (in series coordinates) where firing began.
        var episodes: [Int]
    }

    static func run(_ series: SyntheticSeries) -> Run {
        var detector = AnomalyDetector(configuration: .init())
        for point in series.points[..<learnCount] { detector.learn(point) }
        var conditions: [DetectorCondition] = []
        var episodes: [Int] = []
        var previous = DetectorCondition.normal
        for index in learnCount..<series.points.count {
            let condition = detector.observe(series.points[index]).condition
            if condition == .firing && previous != .firing { episodes.append(index) }
            conditions.append(condition)
            previous = condition
        }
        return Run(conditions: conditions, episodes: episodes)
    }

    @Test func injectedAnomaliesAreFoundAndCleanSeriesStayQuiet() {
        var events = 0
        var found = 0
        var truePositives = 0
        var episodesOnAnomalous = 0
        var missed: [String] = []
        for (offset, (name, shape, anomalies)) in Self.anomalous.enumerated() {
            let series = SyntheticSeries(shape: shape, count: Self.seriesCount, seed: 1000 + UInt64(offset), anomalies: anomalies)
            let run = Self.run(series)
            var windows: [ClosedRange<Int>] = []
            for anomaly in anomalies {
                events += 1
                let window = anomaly.start...(anomaly.end(seriesCount: Self.seriesCount) + Self.grace)
                windows.append(window)
                let firing = window.contains { index in
                    index < Self.seriesCount && run.conditions[index - Self.learnCount] == .firing
                }
                if firing { found += 1 } else { missed.append("\(name)/\(anomaly.kind.rawValue)") }
            }
            episodesOnAnomalous += run.episodes.count
            let matched = run.episodes.filter { episode in windows.contains { $0.contains(episode) } }.count
            truePositives += matched
            let unmatched = run.episodes.filter { episode in !windows.contains { $0.contains(episode) } }
            let unmatchedText = unmatched.isEmpty ? "" : "; others at " + unmatched.map { "day \(Double($0 - Self.learnCount) / Double(Self.pointsPerDay))" }.joined(separator: ", ")
            print("anomaly eval: \(name): \(run.episodes.count) episodes, \(matched) on injected events\(unmatchedText)")
        }

        var cleanPoints = 0
        var falseEpisodes = 0
        for (offset, (name, shape)) in Self.clean.enumerated() {
            let series = SyntheticSeries(shape: shape, count: Self.seriesCount, seed: 2000 + UInt64(offset))
            let run = Self.run(series)
            cleanPoints += run.conditions.count
            falseEpisodes += run.episodes.count
            print("anomaly eval: clean \(name): \(run.episodes.count) false episodes in \(run.conditions.count) values")
        }

        let recall = Double(found) / Double(events)
        let precision = episodesOnAnomalous == 0 ? 1 : Double(truePositives) / Double(episodesOnAnomalous)
        let falsePerThousand = Double(falseEpisodes) / Double(cleanPoints) * 1000
        print("anomaly eval: recall \(found)/\(events) = \(recall), precision \(truePositives)/\(episodesOnAnomalous) = \(precision)")
        print("anomaly eval: false alerts \(falseEpisodes) in \(cleanPoints) clean values = \(falsePerThousand) per 1000")
        if !missed.isEmpty { print("anomaly eval: missed \(missed.joined(separator: ", "))") }
        #expect(events >= 20)
        #expect(Self.clean.count >= 8)
        #expect(recall >= 0.9)
        #expect(falsePerThousand < 1)
    }
}
