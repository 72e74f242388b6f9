import NoitCore
import Foundation
import Detection

/// Deterministic generated metric series with known seasonality and injected anomalies.
struct SyntheticSeries {
    static let stepMs: Int64 = 300_000
    static let hourMs: Int64 = 3_600_000
    static let dayMs: Int64 = 86_400_000
    /// Monday 2026-01-05T00:00:00Z, so weekdays are easy to reason about.
    static let startMs: Int64 = 1_767_571_200_000

    struct Shape {
        var base: Double
        /// Peak-to-mean amplitude of a daily sinusoid peaking mid-afternoon.
        var dailyAmplitude: Double = 0
        /// Added 09:00–17:00 on weekdays, with edges about half an hour wide.
        var businessBump: Double = 0
        /// Subtracted on Saturdays and Sundays, with edges about an hour wide.
        var weekendDrop: Double = 0
        var trendPerDay: Double = 0
        /// Standard deviation of the Gaussian noise (ignored for Poisson series).
        var noise: Double = 1
        /// AR(1) coefficient of the noise.
        var autocorrelation: Double = 0
        /// Values are Poisson draws with the deterministic part as mean.
        var poisson = false
        /// Values are rounded to a multiple of this (integer gauges use 1).
        var quantum: Double? = nil
        /// Probability that a value's noise is drawn four times wider (heavier than Gaussian tails).
        var wideNoise: Double = 0.03
        /// Standard deviation (in noise units) of a random offset per day, interpolated between
        /// day midpoints: real series are not identical from one day to the next.
        var dayToDay: Double = 0.5
        /// Probability that a value is an isolated glitch of 6–10 noise units, up or down.
        var glitches: Double = 0.002

        func deterministic(atMs t: Int64) -> Double {
            let sinceStart = Double(t - SyntheticSeries.startMs)
            let hourOfDay = Double((t - SyntheticSeries.startMs) % SyntheticSeries.dayMs) / Double(SyntheticSeries.hourMs)
            let dayIndex = Int((t - SyntheticSeries.startMs) / SyntheticSeries.dayMs) % 7   // 0 = Monday
            let hourOfWeek = Double(dayIndex) * 24 + hourOfDay
            var value = base + trendPerDay * sinceStart / Double(SyntheticSeries.dayMs)
            value += dailyAmplitude * sin(2 * Double.pi * (hourOfDay - 9) / 24)
            if businessBump != 0 {
                let weekday = dayIndex < 5 ? 1.0 : 0.0
                value += businessBump * weekday * SyntheticSeries.window(hourOfDay, from: 9, to: 17, edge: 0.25)
            }
            if weekendDrop != 0 {
                // The second term continues Sunday night's falling edge past the week boundary.
                let weekend = SyntheticSeries.window(hourOfWeek, from: 120, to: 168, edge: 0.5)
                    + SyntheticSeries.window(hourOfWeek + 168, from: 120, to: 168, edge: 0.5)
                value -= weekendDrop * weekend
            }
            return value
        }

        /// The noise scale the anomaly magnitudes are expressed in.
        func noiseScale(atMs t: Int64) -> Double {
            poisson ? max(deterministic(atMs: t), 1).squareRoot() : noise
        }
    }

    /// Smooth 0→1→0 window between two hours with logistic edges.
    static func window(_ x: Double, from start: Double, to end: Double, edge: Double) -> Double {
        let rise = 1 / (1 + exp(-(x - start) / edge))
        let fall = 1 / (1 + exp((x - end) / edge))
        return rise * fall
    }

    enum AnomalyKind: String {
        case spike, dip, levelShift, drift
    }

    /// An injected anomaly; `magnitude` is in noise-scale units and `length` in points.
    struct Anomaly {
        var kind: AnomalyKind
        var start: Int
        var length: Int
        var magnitude: Double
        /// Drift only: points the ramp's final offset is held before the series returns.
        var hold: Int = 0

        /// Index of the last affected point (inclusive).
        func end(seriesCount: Int) -> Int {
            switch kind {
            case .spike, .dip: return start + length - 1
            case .levelShift: return seriesCount - 1
            case .drift: return start + length + hold - 1
            }
        }

        func offset(at index: Int, scale: Double) -> Double {
            switch kind {
            case .spike:
                return (start..<start + length).contains(index) ? magnitude * scale : 0
            case .dip:
                return (start..<start + length).contains(index) ? -magnitude * scale : 0
            case .levelShift:
                return index >= start ? magnitude * scale : 0
            case .drift:
                if index < start || index >= start + length + hold { return 0 }
                let progress = min(1, Double(index - start + 1) / Double(length))
                return progress * magnitude * scale
            }
        }
    }

    var shape: Shape
    var anomalies: [Anomaly] = []
    var points: [SeriesPoint]

    init(shape: Shape, count: Int, seed: UInt64, anomalies: [Anomaly] = []) {
        self.shape = shape
        self.anomalies = anomalies
        var rng = SplitMix64(seed: seed)
        let days = count / (Int(Self.dayMs / Self.stepMs)) + 2
        let dayOffsets = (0..<days).map { _ in rng.nextGaussian() * shape.dayToDay }
        var noiseState = 0.0
        var generated: [SeriesPoint] = []
        generated.reserveCapacity(count)
        for index in 0..<count {
            let t = Self.startMs + Int64(index) * Self.stepMs
            let scale = shape.noiseScale(atMs: t)
            // Day-to-day offset, linear between day midpoints.
            let dayPosition = Double(t - Self.startMs) / Double(Self.dayMs) - 0.5
            let day = max(0, Int(dayPosition.rounded(.down)))
            let fraction = min(max(dayPosition - Double(day), 0), 1)
            let dayOffset = (dayOffsets[day] * (1 - fraction) + dayOffsets[day + 1] * fraction) * scale
            let mean = shape.deterministic(atMs: t) + dayOffset
            let injected = anomalies.reduce(0) { $0 + $1.offset(at: index, scale: scale) }
            let glitch = rng.nextUnit() < shape.glitches
                ? (rng.nextUnit() < 0.5 ? -1.0 : 1.0) * (6 + 4 * rng.nextUnit()) * scale
                : 0
            let widen = rng.nextUnit() < shape.wideNoise ? 4.0 : 1.0
            var value: Double
            if shape.poisson {
                value = rng.nextPoisson(mean: max(mean + injected, 0)) + glitch
            } else {
                let innovation = rng.nextGaussian() * (1 - shape.autocorrelation * shape.autocorrelation).squareRoot()
                noiseState = shape.autocorrelation * noiseState + innovation
                value = mean + injected + glitch + shape.noise * (noiseState + (widen - 1) * rng.nextGaussian())
            }
            if let quantum = shape.quantum { value = (value / quantum).rounded() * quantum }
            generated.append(SeriesPoint(timeMs: t, value: value))
        }
        points = generated
    }
}
