/// A problem a check run can report.
public enum StatusProblem: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    /// The check could not reach its target.
    case unavailable
    /// The check reached its target but judged the result bad.
    case bad
}
