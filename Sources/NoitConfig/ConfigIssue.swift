/// One thing wrong with a configuration document, located precisely enough to fix it.
public struct ConfigIssue: Sendable, Equatable, CustomStringConvertible {
    /// The file path, or the source name the document was parsed under.
    public var file: String
    /// The 1-based line; nil when the problem has no position (an unreadable file).
    public var line: Int?
    /// The element, as `<check uuid="...">` or `<web>`; nil when no element is concerned
    /// (malformed XML, unreadable file).
    public var element: String?
    public var message: String
    /// What sort of problem it is, so an API can answer 409 to a clash and 400 to the rest.
    public var kind: Kind

    public enum Kind: Sendable, Equatable {
        /// A value or structure that is wrong in itself.
        case invalid
        /// Fine on its own, but clashes with another element (a duplicate uuid, or the same
        /// target and name as another check).
        case conflict
    }

    public init(file: String, line: Int?, element: String?, message: String, kind: Kind = .invalid) {
        self.kind = kind
        self.file = file
        self.line = line
        self.element = element
        self.message = message
    }

    /// `file:line: <element>: message`, leaving out the parts that are nil.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if let element { text += element + ": " }
        return text + message
    }
}
