/// What counts as a secret in a check's configuration: one definition, applied by every path
/// that shows a config to someone (REST XML and JSON, `/config`, the console's `show`
/// commands and listings, audit lines).
public enum SecretKeys {
    /// Shown instead of a secret value. Sent back unchanged (GET → edit → PUT), it means
    /// "keep the stored value".
    public static let placeholder = "(secret)"

    /// Password-, secret-, token- and key-like keys; request headers that carry credentials
    /// (`header_Authorization`, `header_Cookie`); and `env_*`, since a plugin's environment is
    /// where credentials are usually handed over.
    public static func isSecret(_ key: String) -> Bool {
        let lowered = key.lowercased()
        if lowered.hasPrefix("env_") { return true }
        return ["password", "passwd", "secret", "token", "key", "authorization", "cookie", "credential"]
            .contains { lowered.contains($0) }
    }

    /// `value`, or the placeholder when `key` names a secret.
    public static func shown(_ key: String, _ value: String) -> String {
        isSecret(key) ? placeholder : value
    }
}
