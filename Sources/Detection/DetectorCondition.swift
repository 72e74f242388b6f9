/// The state a detector is in after its latest input.
public enum DetectorCondition: String, Sendable, Equatable, Codable {
    /// Not breaching (or cleared).
    case normal
    /// Breaching, but not yet for long enough.
    case pending
    /// Breaching long enough: an alert should be open.
    case firing
    /// Not enough history yet: no judgement made.
    case learning
}
