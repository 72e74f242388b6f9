/// Turns bytes a receiver sent back (or a command wrote to stderr) into a short, single-line
/// text that is safe to store in the outbox and to log.
public enum ResponseExcerpt {
    /// At most this many bytes are ever looked at, whatever the receiver sends.
    public static let maximumBytes = 4_096
    public static let defaultMaximumLength = 300

    /// Decodes leniently (invalid UTF-8 becomes U+FFFD), replaces control and format characters
    /// (newlines, escape sequences, bidi overrides) by spaces, collapses whitespace, replaces every
    /// occurrence of `secrets` with `[redacted]` (receivers sometimes echo the request), and cuts
    /// to `maximumLength` UTF-16 units.
    public static func sanitize(_ bytes: some Collection<UInt8>, redacting secrets: [String] = [], maximumLength: Int = defaultMaximumLength) -> String {
        var text = String(decoding: bytes.prefix(maximumBytes), as: UTF8.self)
        for secret in secrets.sorted(by: { $0.count > $1.count }) where secret.count >= 3 {
            text = text.replacingAll(secret, with: "[redacted]")
        }
        var cleaned = String.UnicodeScalarView()
        var lastWasSpace = true  // also trims leading whitespace
        for scalar in text.unicodeScalars {
            let isBlank: Bool
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator: isBlank = true
            default: isBlank = scalar.properties.isWhitespace
            }
            if isBlank {
                if !lastWasSpace { cleaned.append(" ") }
                lastWasSpace = true
            } else {
                cleaned.append(scalar)
                lastWasSpace = false
            }
        }
        if lastWasSpace, !cleaned.isEmpty { cleaned.removeLast() }
        return String(cleaned).truncated(toUTF16Length: maximumLength)
    }
}
