/// A detector configuration that cannot work, with a message naming the offending field.
public struct DetectorConfigurationError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
