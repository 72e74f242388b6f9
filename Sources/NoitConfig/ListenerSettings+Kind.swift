extension ListenerSettings {
    /// What is served on a listener.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// The REST control interface.
        case http
        /// The line-oriented operator console.
        case console
        /// The journal feed to aggregators: TLS with client certificates, always.
        case feed

        /// The port used when a listener gives none.
        public var defaultPort: Int {
            switch self {
            case .http: 43191
            case .console: 32322
            case .feed: 43192
            }
        }
    }
}
