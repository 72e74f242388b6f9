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

    public init(file: String, line: Int?, element: String?, message: String) {
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
