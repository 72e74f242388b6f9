import NoitConfig

extension NoitConfiguration {
    /// The configuration with source lines zeroed, for comparing documents laid out differently.
    var ignoringLines: NoitConfiguration {
        var copy = self
        for index in copy.checks.indices { copy.checks[index].line = 0 }
        return copy
    }
}
