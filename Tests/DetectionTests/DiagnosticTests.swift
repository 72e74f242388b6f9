@testable import Detection
import Testing

extension AnomalyDetector {
    var debugModel: AnomalyModel { Mirror(reflecting: self).children.first { $0.label == "model" }!.value as! AnomalyModel }
}

@Suite struct DiagnosticTests {
    @Test func diagnose() {
        for (name, shape) in AnomalyEvaluationTests.clean {
            let series = SyntheticSeries(shape: shape, count: AnomalyEvaluationTests.seriesCount, seed: 1)
            var detector = AnomalyDetector(configuration: .init())
            var widths: [Double] = []
            var errs: [Double] = []
            var line = "diag \(name):"
            for (i, point) in series.points.enumerated() {
                if i >= 288 * 7, let band = detector.band(atMs: point.timeMs) {
                    let s = shape.noiseScale(atMs: point.timeMs)
                    widths.append((band.upper - band.expected) / s)
                    errs.append(abs(band.expected - shape.deterministic(atMs: point.timeMs)) / s)
                }
                detector.learn(point)
                if i % (288 * 7) == 288 * 7 - 1 && !widths.isEmpty {
                    let w = widths.sorted(); let e = errs.sorted()
                    line += " wk\(i / 2016): w50=\((w[w.count/2]*10).rounded()/10) e50=\((e[e.count/2]*10).rounded()/10) e90=\((e[e.count*9/10]*10).rounded()/10) e99=\((e[e.count*99/100]*10).rounded()/10) tr/d=\((detector.debugModel.trendPerMs * 864e5 / shape.noiseScale(atMs: point.timeMs) * 100).rounded()/100)"
                    widths = []; errs = []
                }
            }
            print(line)
        }
    }
}
