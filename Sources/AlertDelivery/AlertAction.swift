/// What a notification asks the receiver to do with the alert identified by its dedup key.
public enum AlertAction: String, Sendable, Codable, CaseIterable {
    case trigger
    case resolve
}
