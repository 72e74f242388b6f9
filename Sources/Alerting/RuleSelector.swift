import Foundation

/// Which checks and metrics a rule applies to. Every matcher given must match; none given
/// matches every check.
public struct RuleSelector: Sendable, Equatable {
    /// Explicit checks; empty means any check.
    public var checks: [UUID] = []
    public var module: GlobPattern?
    public var target: GlobPattern?
    public var checkName: GlobPattern?
    /// The metric name; rules on a check as a whole (status, check-level absence) have none.
    public var metric: GlobPattern?

    public init(checks: [UUID] = [], module: GlobPattern? = nil, target: GlobPattern? = nil, checkName: GlobPattern? = nil, metric: GlobPattern? = nil) {
        self.checks = checks
        self.module = module
        self.target = target
        self.checkName = checkName
        self.metric = metric
    }

    public func matches(_ check: CheckInfo) -> Bool {
        if !checks.isEmpty, !checks.contains(check.uuid) { return false }
        if let module, !module.matches(check.module) { return false }
        if let target, !target.matches(check.target) { return false }
        if let checkName, !checkName.matches(check.name) { return false }
        return true
    }

    public func matches(metric name: String) -> Bool { metric?.matches(name) ?? true }
}
