import Foundation

extension Double {
    /// The value with exactly `decimals` digits after the point, as `String(format: "%.Nf")`
    /// prints it, without going through printf: status texts are built on every run, and
    /// `String(format:)` (vararg boxing, a format parse, a Foundation string) showed up in profiles.
    /// Values printf would show in exponent-free form only up to 1e15; beyond that, and for
    /// non-finite values, it falls back to `String(format:)`.
    func fixedText(decimals: Int) -> String {
        precondition((0...6).contains(decimals), "fixedText supports 0 to 6 decimals")
        var scale: Int64 = 1
        for _ in 0..<decimals { scale *= 10 }
        guard isFinite, Swift.abs(self) < 1e15 / Double(scale) else {
            return String(format: "%.\(decimals)f", self)
        }
        // printf rounds the exact binary value; the product may itself have been rounded onto a
        // tie (0.0015 * 1000 == 1.5 although 0.0015 is stored a hair below it). The fused
        // multiply-add recovers the product's rounding error, which breaks such ties correctly.
        let magnitude = Swift.abs(self)
        let product = magnitude * Double(scale)
        let error = (-product).addingProduct(magnitude, Double(scale))
        var rounded = product.rounded(.toNearestOrEven)
        if product - product.rounded(.down) == 0.5 {
            if error > 0 { rounded = product.rounded(.up) } else if error < 0 { rounded = product.rounded(.down) }
        }
        let scaled = Int64(rounded)
        // Like printf, a negative value keeps its sign even when it rounds to zero.
        var text = sign == .minus ? "-" : ""
        text += String(scaled / scale)
        guard decimals > 0 else { return text }
        let fraction = String(scaled % scale)
        text += "."
        text += String(repeating: "0", count: decimals - fraction.utf8.count)
        text += fraction
        return text
    }
}
