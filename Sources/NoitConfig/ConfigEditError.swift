/// Why an edit of a ``ConfigDocument`` was refused before the document was even validated:
/// a path that names nothing, a name that is not a valid element name, a check that does not
/// exist. The message is written for an operator at the console.
public struct ConfigEditError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The path, section, attribute, key or check named does not exist.
        case notFound
        /// The request itself is malformed (bad name, reserved word, wrong place).
        case invalid
        /// The request clashes with what exists (a section that is already there).
        case conflict
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
