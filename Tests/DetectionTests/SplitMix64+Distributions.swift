import Foundation
import NoitCore

/// Distributions for generated test data, on NoitCore's seeded generator, so the data is
/// identical on every run and platform.
extension SplitMix64 {
    /// Uniform in [0, 1) with 53 random bits.
    mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Standard normal by Box–Muller; the second variate is dropped to keep the sequence simple.
    mutating func nextGaussian() -> Double {
        let u1 = max(nextUnit(), 0x1.0p-53)
        let u2 = nextUnit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Poisson by multiplying uniforms (fine for the small means used in tests).
    mutating func nextPoisson(mean: Double) -> Double {
        let limit = exp(-max(mean, 0))
        var product = nextUnit()
        var count = 0.0
        while product > limit {
            product *= nextUnit()
            count += 1
        }
        return count
    }
}
