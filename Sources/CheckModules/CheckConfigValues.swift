import NoitCore

/// Typed reads of a check's config values (already validated against the module's patterns).
extension CheckDefinition {
    func boolConfig(_ key: String) -> Bool {
        guard let value = config[key]?.lowercased() else { return false }
        return ["true", "on", "yes", "1"].contains(value)
    }

    func intConfig(_ key: String) -> Int? {
        config[key].flatMap { Int($0) }
    }
}
