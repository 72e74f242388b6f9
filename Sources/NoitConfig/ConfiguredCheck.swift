import NoitCore

/// A check as the configuration defines it, with where each of its values came from so an
/// operator can be told why a check has the period it has.
public struct ConfiguredCheck: Sendable, Equatable {
    /// The resolved check. Its `config` is the merged `<config>` keys only: module defaults are
    /// not applied, so that what is shown and saved is what the operator wrote.
    public var definition: CheckDefinition
    /// For each of `period`, `timeout`, `module`, `target`, `filterset`, `disable`, `name`,
    /// `seq`: `"self"` when the check element sets it, the path of the ancestor element it was
    /// inherited from (such as `/noit/checks/web`), or `"default"` when nothing set it.
    /// `filterset` is absent when no element sets one.
    public var attributeSources: [String: String]
    /// For each merged config key: `"self"` when the check's own `<config>` sets it, the path
    /// of the ancestor whose `<config>` set it, or `"template <id>"` when it came from a template.
    public var configSources: [String: String]
    /// The line of the `<check>` element in its document.
    public var line: Int

    public init(definition: CheckDefinition, attributeSources: [String: String], configSources: [String: String], line: Int) {
        self.definition = definition
        self.attributeSources = attributeSources
        self.configSources = configSources
        self.line = line
    }
}
