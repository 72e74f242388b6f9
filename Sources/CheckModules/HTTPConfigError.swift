/// A check config the http module cannot run with; `message` becomes the failed run's status.
struct HTTPConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    var message: String

    init(_ message: String) { self.message = message }

    var description: String { message }
}
