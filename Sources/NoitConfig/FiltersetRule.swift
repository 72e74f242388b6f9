import NoitCore

/// One `<rule>` of a filterset. Each pattern is a regular expression searched anywhere in its
/// subject (anchor it with `^`/`$` to match whole); an absent pattern matches anything.
public struct FiltersetRule: Sendable, Equatable {
    public enum Action: String, Sendable, Equatable, CaseIterable {
        case allow
        case deny
    }

    public var action: Action
    public var modulePattern: String?
    public var namePattern: String?
    public var metricPattern: String?

    public init(_ action: Action, module: String? = nil, name: String? = nil, metric: String? = nil) {
        self.action = action
        self.modulePattern = module
        self.namePattern = name
        self.metricPattern = metric
    }

    /// Whether every pattern the rule has matches. A pattern that does not compile matches
    /// nothing (the loader refuses such rules, so this only concerns hand-built values).
    public func matches(module: String, checkName: String, metric: String) -> Bool {
        Self.matches(modulePattern, module) && Self.matches(namePattern, checkName) && Self.matches(metricPattern, metric)
    }

    private static func matches(_ pattern: String?, _ subject: String) -> Bool {
        guard let pattern else { return true }
        return PatternCache.containsMatch(pattern, subject)
    }
}
