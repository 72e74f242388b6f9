import Foundation

/// Durations as operators write them in rules and silences: `90` or `90s`, `5m`, `3h`, `2d`,
/// `1w`, `250ms`, or combinations such as `1h30m`.
public enum AlertDurationText {
    private static let units: [Character: Int64] = ["s": 1_000, "m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 604_800_000]

    /// Milliseconds, or nil when the text is not a positive duration below ten years.
    public static func milliseconds(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        if let seconds = Int64(trimmed) { return seconds > 0 && seconds < 315_360_000 ? seconds * 1000 : nil }
        var total: Int64 = 0
        var digits = ""
        var characters = Array(trimmed)[...]
        while let character = characters.first {
            characters = characters.dropFirst()
            if character.isASCII, character.isNumber {
                digits.append(character)
                guard digits.count <= 9 else { return nil }
                continue
            }
            guard let amount = Int64(digits) else { return nil }
            if character == "m", characters.first == "s" {
                characters = characters.dropFirst()
                total += amount
            } else if let unit = units[character] {
                total += amount * unit
            } else {
                return nil
            }
            digits = ""
        }
        guard digits.isEmpty, total > 0, total < 315_360_000_000 else { return nil }
        return total
    }

    /// The shortest exact spelling: 300000 → "5m", 5400000 → "1h30m".
    public static func text(_ milliseconds: Int64) -> String {
        guard milliseconds > 0 else { return "0s" }
        if milliseconds % 1000 != 0 { return "\(milliseconds)ms" }
        var rest = milliseconds
        var text = ""
        for (unit, size) in [("w", Int64(604_800_000)), ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1_000)] where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text
    }
}
