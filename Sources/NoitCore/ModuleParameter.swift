/// One configuration key a check module understands.
public struct ModuleParameter: Hashable, Sendable {
    /// The key, or with `isPrefix` a prefix that a family of keys shares (`header_` for `header_Host`).
    public var name: String
    public var isPrefix: Bool
    public var required: Bool
    public var defaultValue: String?
    /// A regular expression the whole value must match; nil accepts any value.
    public var allowedPattern: String?
    /// The value is the path of a program the module runs: it must also be one the node's
    /// `<access>` allows, wherever the check comes from.
    public var runsProgram: Bool
    /// For a prefix family: a regular expression the rest of the key must match (the
    /// external module's `env_` refuses the dynamic loader's variables and `PATH`).
    public var allowedSuffixPattern: String?
    public var help: String

    public init(
        _ name: String,
        required: Bool = false,
        default defaultValue: String? = nil,
        allowed allowedPattern: String? = nil,
        isPrefix: Bool = false,
        runsProgram: Bool = false,
        suffixAllowed allowedSuffixPattern: String? = nil,
        help: String
    ) {
        self.name = name
        self.isPrefix = isPrefix
        self.required = required
        self.defaultValue = defaultValue
        self.allowedPattern = allowedPattern
        self.runsProgram = runsProgram
        self.allowedSuffixPattern = allowedSuffixPattern
        self.help = help
    }

    public func matches(key: String) -> Bool {
        isPrefix ? key.hasPrefix(name) && key.count > name.count : key == name
    }
}

/// Patterns shared by many modules' parameter declarations.
public enum AllowedPattern {
    public static let unsignedInteger = #"[0-9]+"#
    public static let boolean = #"(true|false|on|off|yes|no|1|0)"#
    public static let port = #"([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])"#
}
