/// A hook definition that can never work, found by ``HookDefinition/validate()`` or when a request is built.
///
/// Descriptions never contain secrets: not the routing key, header values, nor the URL itself
/// (its userinfo, path or query may carry credentials).
public struct HookConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Problem: Sendable, Equatable {
        case emptyName
        /// The URL does not parse or has no host.
        case invalidURL
        /// Only `http` and `https` are allowed.
        case unsupportedScheme(String)
        case emptyRoutingKey
        /// Whitespace or control characters, which PagerDuty would reject anyway.
        case invalidRoutingKey
        /// Not an RFC 9110 token.
        case invalidHeaderName(String)
        /// CR, LF or NUL would allow header injection.
        case invalidHeaderValue(headerName: String)
        case nonPositiveTimeout
        case nonPositiveResolveTimeout
        case relativeCommandPath
        /// NUL cannot be passed through `execve`.
        case invalidCommandArgument(index: Int)
    }

    public var hookName: String
    public var problem: Problem

    public init(hookName: String, problem: Problem) {
        self.hookName = hookName
        self.problem = problem
    }

    public var description: String {
        let what: String
        switch problem {
        case .emptyName: what = "the hook has no name"
        case .invalidURL: what = "the URL is not a valid absolute http(s) URL with a host"
        case .unsupportedScheme(let scheme): what = "URL scheme '\(scheme.prefix(16))' is not http or https"
        case .emptyRoutingKey: what = "the PagerDuty routing key is empty"
        case .invalidRoutingKey: what = "the PagerDuty routing key contains whitespace or control characters"
        case .invalidHeaderName(let name): what = "header name '\(name.prefix(64))' is not a valid token"
        case .invalidHeaderValue(let name): what = "the value of header '\(name.prefix(64))' contains CR, LF or NUL"
        case .nonPositiveTimeout: what = "the timeout must be positive"
        case .nonPositiveResolveTimeout: what = "the Alertmanager resolve timeout must be positive when set"
        case .relativeCommandPath: what = "the command path must be absolute (commands run without a shell or PATH lookup)"
        case .invalidCommandArgument(let index): what = "command argument \(index) contains NUL"
        }
        return "hook '\(hookName.prefix(64))': \(what)"
    }
}
