import Foundation
import HTTPTypes
import NoitConfig

/// Who may change checks over one HTTP listener: a client whose certificate's common name is
/// in the listener's `write_cn`, or one presenting `Authorization: Bearer` with a token from
/// the config's `<access>`. With neither configured nobody may: an API that runs programs is
/// never open by default.
public struct WritePolicy: Sendable, Equatable {
    /// `write_cn` on the listener; nil when not set.
    public var allowedCommonNames: Set<String>?

    public init(allowedCommonNames: Set<String>?) {
        self.allowedCommonNames = allowedCommonNames
    }

    /// `write_cn="ops,deploy"` on the listener.
    public init(listener: ListenerSettings) {
        let names = listener.options["write_cn"].map {
            Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
        self.init(allowedCommonNames: names)
    }

    public enum Decision: Equatable, Sendable {
        /// Allowed; who it was, for the audit line (`token deploy`, `cn=ops`).
        case allowed(String)
        case refused(HTTPResponse.Status, String)
    }

    static let howToConfigure =
        "add <access><api_token name=\"…\" hash=\"…\"/></access> to noitd.conf (`noitd --make-token NAME` prints both) and reload, or set write_cn on a TLS listener"

    /// Decides a change from the request's `Authorization` header and the verified client
    /// certificate's common name, against the tokens configured now.
    public func decide(authorization: String?, commonName: String?, tokens: [AccessSettings.APIToken]) -> Decision {
        guard allowedCommonNames != nil || !tokens.isEmpty else {
            return .refused(.forbidden, "changes over REST are off: no credential is configured; \(Self.howToConfigure)")
        }
        if let authorization {
            guard let presented = Self.bearerToken(authorization) else {
                return .refused(.unauthorized, "the Authorization header must be 'Bearer <token>'")
            }
            guard let token = APIToken.match(presented, in: tokens) else {
                return .refused(.unauthorized, "the bearer token is not valid")
            }
            return .allowed("token \(token.name)")
        }
        if let commonName, let allowedCommonNames {
            guard allowedCommonNames.contains(commonName) else {
                return .refused(.forbidden, "client certificate CN '\(commonName)' may not change checks")
            }
            return .allowed("cn=\(commonName)")
        }
        return .refused(.unauthorized, "changes need a credential: 'Authorization: Bearer <token>' or a client certificate listed in write_cn")
    }

    /// The token of `Bearer <token>` (the scheme is case-insensitive, RFC 9110 §11.1).
    static func bearerToken(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
