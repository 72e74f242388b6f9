extension AbsenceDetector {
    /// Settings of an absence detector.
    public struct Configuration: Sendable, Equatable, Codable {
        /// The longest silence that is still normal, in milliseconds.
        public var windowMs: Int64

        public init(windowMs: Int64) {
            self.windowMs = windowMs
        }

        /// Throws when the window is not positive.
        public func validate() throws {
            if windowMs <= 0 {
                throw DetectorConfigurationError("absence windowMs must be > 0 (got \(windowMs))")
            }
        }
    }
}
