/// Why a configuration was refused: every problem found in the document, not just the first,
/// so an operator can fix them all in one pass.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Never empty, ordered by line.
    public var issues: [ConfigIssue]

    public init(issues: [ConfigIssue]) {
        self.issues = issues
    }

    /// One issue per line.
    public var description: String {
        issues.map(\.description).joined(separator: "\n")
    }
}
