import NoitCore

extension ExternalPerfdatum {
    /// The metric value this entry becomes, with its unit normalised so that the same quantity
    /// is stored the same way whichever plugin measured it:
    ///
    /// - `s`, `ms`, `us` (`µs`), `ns`: seconds, as a double;
    /// - `B`, `KB`, `MB`, `GB`, `TB`, `PB` (any case, and the `KiB` forms): bytes, as a double,
    ///   counting 1 KB as 1024 B as the plugins do;
    /// - `c` (a counter): an integral value as `uint64` (`int64` when negative), else a double;
    /// - `%`, no unit, or a unit not listed here: the number as written, as a double.
    ///
    /// `U` becomes a null of the type the unit would have had. Nil when the number is not finite
    /// (`1e999`), which the caller counts as a malformed entry.
    var metricValue: MetricValue? {
        let isCounter = unit == "c"
        guard let number else { return .null(isCounter ? .uint64 : .double) }
        if isCounter, !number.contains("."), !number.contains("e") {
            if number.hasPrefix("-"), let value = Int64(number) { return .int64(value) }
            if let value = UInt64(number) { return .uint64(value) }
        }
        guard let value = Double(number), value.isFinite else { return nil }
        let scaled = value * ExternalPerfdatum.scale(ofUnit: unit)
        return scaled.isFinite ? .double(scaled) : nil
    }

    /// The factor from `unit` to seconds or bytes; 1 for every other unit.
    static func scale(ofUnit unit: String) -> Double {
        switch unit {
        case "s": return 1
        case "ms": return 1e-3
        case "us", "µs", "\u{03BC}s": return 1e-6
        case "ns": return 1e-9
        default: break
        }
        switch unit.uppercased() {
        case "B": return 1
        case "KB", "KIB": return 1024
        case "MB", "MIB": return 1024 * 1024
        case "GB", "GIB": return 1024 * 1024 * 1024
        case "TB", "TIB": return 1024 * 1024 * 1024 * 1024
        case "PB", "PIB": return 1024 * 1024 * 1024 * 1024 * 1024
        default: return 1
        }
    }
}
