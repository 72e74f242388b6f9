extension StatusDetector {
    /// Settings of a status detector.
    public struct Configuration: Sendable, Equatable, Codable {
        /// The problems that count as a breach.
        public var fireOn: Set<StatusProblem>
        public var persistence: Persistence

        public init(fireOn: Set<StatusProblem> = [.unavailable, .bad], persistence: Persistence = Persistence()) {
            self.fireOn = fireOn
            self.persistence = persistence
        }

        /// Throws when `fireOn` is empty (the detector could never fire) or persistence is invalid.
        public func validate() throws {
            if fireOn.isEmpty {
                throw DetectorConfigurationError("status fireOn must name at least one problem (unavailable, bad)")
            }
            try persistence.validate()
        }
    }
}
