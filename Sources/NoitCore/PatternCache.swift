import Foundation
import Synchronization

/// Compiled regular expressions by pattern text: validation runs for every check of a large
/// config, and compiling the same few patterns ten thousand times would dominate a reload.
public enum PatternCache {
    private static let cache = Mutex<[String: NSRegularExpression]>([:])

    public static func regex(_ pattern: String) -> NSRegularExpression? {
        if let cached = cache.withLock({ $0[pattern] }) { return cached }
        guard let compiled = try? NSRegularExpression(pattern: pattern) else { return nil }
        cache.withLock { $0[pattern] = compiled }
        return compiled
    }

    /// Whether `value` matches `pattern` from its first to its last character.
    /// An invalid pattern matches nothing.
    public static func wholeMatch(_ pattern: String, _ value: String) -> Bool {
        guard let regex = regex("^(?:" + pattern + ")$") else { return false }
        let range = NSRange(value.startIndex..., in: value)
        return regex.firstMatch(in: value, range: range) != nil
    }

    /// Whether `pattern` matches anywhere in `value` (for body and banner matching).
    public static func containsMatch(_ pattern: String, _ value: String) -> Bool {
        guard let regex = regex(pattern) else { return false }
        return regex.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
    }

    public static func isValid(_ pattern: String) -> Bool { regex(pattern) != nil }
}
