import Foundation

/// A user and password for HTTP basic authentication.
struct HTTPCredentials: Hashable, Sendable {
    var user: String
    var password: String

    /// The `Authorization` header value (RFC 7617, UTF-8 before base64).
    var authorization: String {
        "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    }
}
