import NoitConfig

/// Why a change to the running config was refused; the running config is then untouched.
public enum ConfigChangeError: Error, Sendable, CustomStringConvertible {
    /// The edit could not be made at all (no such section, check, attribute; a bad name).
    case edit(ConfigEditError)
    /// The edited config does not validate, exactly as it would not load from a file.
    case rejected(ConfigError)
    /// The request clashes with the stored check: a `seq` not above the stored one.
    case staleSequence(stored: Int64, given: Int64)
    /// `write memory` could not write the file.
    case write(String)

    public var description: String {
        switch self {
        case .edit(let error): error.message
        case .rejected(let error): error.issues.map(Self.operatorText).joined(separator: "\n")
        case .staleSequence(let stored, let given): "seq \(given) is not above the stored seq \(stored)"
        case .write(let message): message
        }
    }

    /// True for a clash with something that exists (HTTP 409).
    public var isConflict: Bool {
        switch self {
        case .edit(let error): error.kind == .conflict
        case .rejected(let error): error.issues.contains { $0.kind == .conflict }
        case .staleSequence: true
        case .write: false
        }
    }

    public var isNotFound: Bool {
        if case .edit(let error) = self { return error.kind == .notFound }
        return false
    }

    /// An issue without the file name: at the console the "file" is the running config.
    static func operatorText(_ issue: ConfigIssue) -> String {
        [issue.element, issue.message].compactMap { $0 }.joined(separator: ": ")
    }
}
