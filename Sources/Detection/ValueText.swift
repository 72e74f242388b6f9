/// Compact number formatting for summaries: about four significant digits, no trailing zeros.
///
/// Written without Foundation's `String(format:)` because summaries are built on every observed
/// value and that path must stay cheap.
enum ValueText {
    static func describe(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        if value == 0 { return "0" }
        let magnitude = value.magnitude
        if magnitude >= 1e15 || magnitude < 1e-4 {
            return value.description
        }
        let integerDigits = magnitude >= 1 ? Int(log10Floor(magnitude)) + 1 : 0
        var decimals = max(0, 4 - integerDigits)
        if magnitude < 1 {
            // Keep four significant digits for small values, e.g. 0.001234.
            decimals = 4 + leadingFractionZeros(magnitude)
        }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        var text = rounded.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }

    private static func log10Floor(_ magnitude: Double) -> Int {
        var digits = 0
        var x = magnitude
        while x >= 10 { x /= 10; digits += 1 }
        return digits
    }

    private static func leadingFractionZeros(_ magnitude: Double) -> Int {
        var zeros = 0
        var x = magnitude * 10
        while x < 1 { x *= 10; zeros += 1 }
        return zeros
    }

    /// "40–60": a band's range for summaries.
    static func range(_ lower: Double, _ upper: Double) -> String {
        "\(describe(lower))–\(describe(upper))"
    }
}
