import Foundation

/// Running sums for an unweighted straight-line least-squares fit.
///
/// Callers shift x and y towards zero before adding (relative time, value minus a reference) so that
/// the centred sums below do not lose precision to cancellation.
struct LeastSquaresSums: Sendable, Equatable {
    var n = 0.0
    var sx = 0.0
    var sy = 0.0
    var sxx = 0.0
    var sxy = 0.0
    var syy = 0.0

    mutating func add(x: Double, y: Double) {
        n += 1
        sx += x
        sy += y
        sxx += x * x
        sxy += x * y
        syy += y * y
    }

    static func + (a: LeastSquaresSums, b: LeastSquaresSums) -> LeastSquaresSums {
        LeastSquaresSums(
            n: a.n + b.n, sx: a.sx + b.sx, sy: a.sy + b.sy,
            sxx: a.sxx + b.sxx, sxy: a.sxy + b.sxy, syy: a.syy + b.syy)
    }

    /// The fitted line, or nil with fewer than two distinct x values.
    func fit() -> Fit? {
        guard n >= 2 else { return nil }
        let meanX = sx / n
        let meanY = sy / n
        let centredXX = sxx - n * meanX * meanX
        let centredXY = sxy - n * meanX * meanY
        let centredYY = syy - n * meanY * meanY
        guard centredXX > 0 else { return nil }
        let slope = centredXY / centredXX
        let residualSquares = max(0, centredYY - slope * centredXY)
        // Standard error of the slope; with only two points there is no residual information.
        let slopeError = n > 2 ? (residualSquares / (n - 2) / centredXX).squareRoot() : Double.infinity
        return Fit(slope: slope, intercept: meanY - slope * meanX, slopeStandardError: slopeError)
    }

    struct Fit: Sendable, Equatable {
        var slope: Double
        /// Value at x = 0.
        var intercept: Double
        var slopeStandardError: Double
    }
}
