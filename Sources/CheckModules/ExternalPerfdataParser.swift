/// Reads the performance data of a Nagios plugin (the text after `|`), per the plugin
/// development guidelines: entries separated by whitespace, each
/// `'label'=value[UOM];[warn];[crit];[min];[max]`.
///
/// Parsing never fails as a whole: an entry that does not fit the grammar is skipped and
/// counted, and parsing resumes at the next whitespace. Thresholds, min and max are accepted
/// in any form and not interpreted.
enum ExternalPerfdataParser {
    struct Parsed: Hashable, Sendable {
        var entries: [ExternalPerfdatum] = []
        /// Entries that were skipped because they were malformed.
        var errors = 0
    }

    static func parse<S: StringProtocol>(_ text: S) -> Parsed {
        var parsed = Parsed()
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while true {
            while index < scalars.count, isSeparator(scalars[index]) { index += 1 }
            guard index < scalars.count else { break }
            if let entry = entry(in: scalars, at: &index) {
                parsed.entries.append(entry)
            } else {
                parsed.errors += 1
                while index < scalars.count, !isSeparator(scalars[index]) { index += 1 }
            }
        }
        return parsed
    }

    /// Whitespace between entries. A stray `|` is treated the same way, because some plugins
    /// separate groups of entries with it.
    static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\r" || scalar == "\n" || scalar == "|"
    }

    /// Reads one entry starting at `index`; on success `index` is just past it. On failure the
    /// caller skips to the next separator (an unterminated quote consumes the rest of the text).
    private static func entry(in scalars: [Unicode.Scalar], at index: inout Int) -> ExternalPerfdatum? {
        var label = String.UnicodeScalarView()
        if scalars[index] == "'" {
            index += 1
            var closed = false
            while index < scalars.count {
                let scalar = scalars[index]
                index += 1
                if scalar == "'" {
                    // `''` inside quotes is one literal quote.
                    if index < scalars.count, scalars[index] == "'" {
                        label.append("'")
                        index += 1
                        continue
                    }
                    closed = true
                    break
                }
                label.append(scalar)
            }
            guard closed else {
                index = scalars.count
                return nil
            }
            guard index < scalars.count, scalars[index] == "=" else { return nil }
        } else {
            while index < scalars.count, scalars[index] != "=", !isSeparator(scalars[index]) {
                label.append(scalars[index])
                index += 1
            }
            guard index < scalars.count, scalars[index] == "=" else { return nil }
        }
        index += 1  // the `=`
        guard !label.isEmpty else { return nil }

        var field = String.UnicodeScalarView()
        while index < scalars.count, !isSeparator(scalars[index]) {
            field.append(scalars[index])
            index += 1
        }
        let valueAndUnit = Substring(String(field)).prefix { $0 != ";" }
        guard let (number, unit) = splitValue(valueAndUnit) else { return nil }
        return ExternalPerfdatum(label: String(label), number: number, unit: unit)
    }

    /// Splits `12.5ms` into ("12.5", "ms") and `U` into (nil, ""); nil when there is no number.
    /// The unit is whatever follows the number; it must not contain digits or quotes.
    static func splitValue(_ text: Substring) -> (number: String?, unit: String)? {
        let scalars = Array(text.unicodeScalars)
        guard !scalars.isEmpty else { return nil }
        if scalars[0] == "U" {
            let unit = String(String.UnicodeScalarView(scalars.dropFirst()))
            return isPlausibleUnit(unit) ? (nil, unit) : nil
        }
        var index = 0
        var number = ""
        if scalars[index] == "-" || scalars[index] == "+" {
            if scalars[index] == "-" { number.append("-") }
            index += 1
        }
        var digits = 0
        var sawDecimal = false
        while index < scalars.count {
            let scalar = scalars[index]
            if isDigit(scalar) {
                number.unicodeScalars.append(scalar)
                digits += 1
            } else if (scalar == "." || scalar == ","), !sawDecimal {
                // Plugins running under some locales print a decimal comma.
                sawDecimal = true
                number.append(".")
            } else {
                break
            }
            index += 1
        }
        guard digits > 0 else { return nil }
        // An exponent only when `e` is followed by digits, so that a unit could still start with `e`.
        if index < scalars.count, scalars[index] == "e" || scalars[index] == "E" {
            var look = index + 1
            var exponent = String(scalars[index])
            if look < scalars.count, scalars[look] == "-" || scalars[look] == "+" {
                exponent.unicodeScalars.append(scalars[look])
                look += 1
            }
            var exponentDigits = 0
            while look < scalars.count, isDigit(scalars[look]) {
                exponent.unicodeScalars.append(scalars[look])
                exponentDigits += 1
                look += 1
            }
            if exponentDigits > 0 {
                number += exponent
                index = look
            }
        }
        if number.hasSuffix(".") { number.removeLast() }
        // `.5` and `-.5` need a leading zero to read back with `Double(_:)`.
        if number.hasPrefix(".") { number = "0" + number }
        if number.hasPrefix("-.") { number = "-0" + number.dropFirst() }
        let unit = String(String.UnicodeScalarView(scalars[index...]))
        return isPlausibleUnit(unit) ? (number, unit) : nil
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        (0x30...0x39).contains(scalar.value)
    }

    /// Units are short words and symbols; digits or punctuation there mean the value was garbage
    /// (`12.5.3`, `1,2,3`, `5x5`).
    private static func isPlausibleUnit(_ unit: String) -> Bool {
        unit.unicodeScalars.count <= 16
            && unit.unicodeScalars.allSatisfy { scalar in
                scalar.properties.isAlphabetic || scalar == "%" || scalar == "/" || scalar == "°"
            }
    }
}
