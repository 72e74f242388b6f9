import Foundation

/// A hook URL checked to be absolute http(s) with a host, plus what may and may not be logged about it.
struct HookURL: Sendable, Equatable {
    /// The URL exactly as configured; it goes on the wire but never into logs or messages.
    let string: String
    let scheme: String
    let host: String
    let port: Int?
    /// Parts that can carry credentials (userinfo, query), to redact from anything echoed back.
    let sensitiveParts: [String]
    /// `user:password` from the URL, percent-decoded; AsyncHTTPClient ignores userinfo, so the
    /// request builder turns it into an `Authorization: Basic` header.
    let basicCredentials: String?

    init(_ string: String, hookName: String) throws(HookConfigurationError) {
        guard let url = URL(string: string), let rawScheme = url.scheme else {
            throw HookConfigurationError(hookName: hookName, problem: .invalidURL)
        }
        let scheme = rawScheme.lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw HookConfigurationError(hookName: hookName, problem: .unsupportedScheme(scheme))
        }
        guard let host = url.host(percentEncoded: false), !host.isEmpty else {
            throw HookConfigurationError(hookName: hookName, problem: .invalidURL)
        }
        self.string = string
        self.scheme = scheme
        self.host = host
        self.port = url.port
        self.sensitiveParts = [
            url.user(percentEncoded: true), url.password(percentEncoded: true), url.query(percentEncoded: true),
            url.user(percentEncoded: false), url.password(percentEncoded: false), url.query(percentEncoded: false),
        ].compactMap { $0 }.filter { !$0.isEmpty }
        if let user = url.user(percentEncoded: false), !user.isEmpty {
            self.basicCredentials = "\(user):\(url.password(percentEncoded: false) ?? "")"
        } else {
            self.basicCredentials = nil
        }
    }

    /// The `Authorization` header value for URL userinfo, if there is any.
    var basicAuthorization: String? {
        basicCredentials.map { "Basic " + Data($0.utf8).base64EncodedString() }
    }

    /// `scheme://host[:port]` only: paths are left out too, because many webhook services
    /// (Slack, Teams, healthchecks.io) put the credential in the path.
    var logDescription: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        if let port { return "\(scheme)://\(hostPart):\(port)" }
        return "\(scheme)://\(hostPart)"
    }
}
