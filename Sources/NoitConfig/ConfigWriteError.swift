import Foundation

/// A failure to save a configuration document; the previous file is left in place.
public struct ConfigWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    /// The system call or step that failed, such as `rename`.
    public var operation: String
    public var errno: Int32

    public init(path: String, operation: String, errno: Int32) {
        self.path = path
        self.operation = operation
        self.errno = errno
    }

    public var description: String {
        "cannot write \(path): \(operation) failed: \(String(cString: strerror(errno)))"
    }
}
