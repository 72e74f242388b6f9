import Foundation

/// A robust, slowly adapting estimate of how far values stray from a model, expressed as a
/// Gaussian-equivalent standard deviation (1.4826 × the median absolute residual).
///
/// It tracks the median of absolute residuals with a multiplicative stochastic-median step: up by
/// `rate / 2` in log space when a residual is above the estimate, down by the same otherwise.
/// Only the side of the estimate a residual falls on matters, so an outlier moves the estimate
/// no more than an ordinary residual, and a burst of anomalous values can widen it only slowly.
/// The first `warmupCount` updates use a plain running mean so the estimate starts near the truth.
struct RobustScale: Sendable, Equatable, Codable {
    static let warmupCount = 24
    /// The median of |Z| for a standard normal Z.
    static let medianOfGaussian = 0.6744897501960817
    /// Mean of |Z| for a standard normal Z, used to start from a mean absolute residual.
    static let meanAbsoluteOfGaussian = 0.7978845608028654

    /// Current estimate of the median of |residual|.
    var median: Double = 0
    var updates: Int = 0

    var isReady: Bool { updates > 0 }

    /// Gaussian-equivalent standard deviation.
    var sigma: Double { median / Self.medianOfGaussian }

    mutating func update(magnitude: Double, rate: Double, floor: Double) {
        guard magnitude.isFinite else { return }
        if updates < Self.warmupCount {
            updates += 1
            let target = magnitude * Self.medianOfGaussian / Self.meanAbsoluteOfGaussian
            median += (target - median) / Double(updates)
        } else {
            median *= exp(magnitude > median ? rate / 2 : -rate / 2)
        }
        median = max(median, floor * Self.medianOfGaussian)
    }
}
