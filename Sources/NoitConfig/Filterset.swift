/// A named, ordered list of allow/deny rules deciding which metrics of a check are kept.
public struct Filterset: Sendable, Equatable {
    public var name: String
    public var rules: [FiltersetRule]

    public init(name: String, rules: [FiltersetRule]) {
        self.name = name
        self.rules = rules
    }

    /// Whether a metric is kept: the first rule that matches decides; when no rule matches the
    /// metric is allowed, so an empty filterset filters nothing.
    public func allows(module: String, checkName: String, metric: String) -> Bool {
        for rule in rules where rule.matches(module: module, checkName: checkName, metric: metric) {
            return rule.action == .allow
        }
        return true
    }
}
