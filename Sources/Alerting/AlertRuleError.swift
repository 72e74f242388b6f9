/// Why a rule was refused: every problem found, each a sentence naming the attribute.
public struct AlertRuleError: Error, Equatable, CustomStringConvertible {
    public var problems: [String]
    public init(_ problems: [String]) { self.problems = problems }
    public var description: String { problems.joined(separator: "; ") }
}
