/// What a check module declares about itself, so that every check's config can be validated
/// the same way at load, at REST `set` and at the console.
public struct ModuleDescriptor: Hashable, Sendable {
    public var name: String
    public var summary: String
    public var parameters: [ModuleParameter]

    public init(name: String, summary: String, parameters: [ModuleParameter]) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
    }

    public func parameter(forKey key: String) -> ModuleParameter? {
        parameters.first { !$0.isPrefix && $0.name == key } ?? parameters.first { $0.matches(key: key) }
    }

    /// Problems with a check's merged config, in a stable order (unknown keys, bad values, then
    /// missing required keys). Empty when the config is acceptable.
    public func problems(in config: [String: String]) -> [ParameterProblem] {
        var problems = [ParameterProblem]()
        for key in config.keys.sorted() {
            guard let parameter = parameter(forKey: key) else {
                problems.append(.unknownKey(key, allowed: parameters.map { $0.isPrefix ? $0.name + "*" : $0.name }))
                continue
            }
            if parameter.isPrefix, let pattern = parameter.allowedSuffixPattern,
               !PatternCache.wholeMatch(pattern, String(key.dropFirst(parameter.name.count))) {
                problems.append(.refusedKey(key, prefix: parameter.name, allowed: pattern))
                continue
            }
            if let pattern = parameter.allowedPattern, let value = config[key], !PatternCache.wholeMatch(pattern, value) {
                problems.append(.invalidValue(key: key, value: value, allowed: pattern))
            }
        }
        for parameter in parameters where parameter.required && !parameter.isPrefix && config[parameter.name] == nil {
            problems.append(.missingRequired(parameter.name))
        }
        return problems
    }

    /// The config with every declared default filled in where the check gave no value.
    public func applyingDefaults(to config: [String: String]) -> [String: String] {
        var merged = config
        for parameter in parameters where !parameter.isPrefix {
            if merged[parameter.name] == nil, let value = parameter.defaultValue {
                merged[parameter.name] = value
            }
        }
        return merged
    }
}

public enum ParameterProblem: Hashable, Sendable, CustomStringConvertible {
    case unknownKey(String, allowed: [String])
    case invalidValue(key: String, value: String, allowed: String)
    case missingRequired(String)
    case refusedKey(String, prefix: String, allowed: String)

    public var description: String {
        switch self {
        case .unknownKey(let key, let allowed):
            "unknown config key '\(key)' (allowed: \(allowed.isEmpty ? "none" : allowed.joined(separator: ", ")))"
        case .invalidValue(let key, let value, let allowed):
            "config key '\(key)' has invalid value '\(value)' (must match \(allowed))"
        case .missingRequired(let key):
            "required config key '\(key)' is missing"
        case .refusedKey(let key, let prefix, let allowed):
            "config key '\(key)' is refused (what follows \(prefix) must match \(allowed))"
        }
    }
}
