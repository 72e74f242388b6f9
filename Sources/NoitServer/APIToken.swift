import Crypto
import Foundation
import NoitConfig

/// Bearer tokens for REST changes: made at random, stored only as their SHA-256 (a token has
/// 256 random bits, so a fast hash cannot be guessed back), compared in constant time.
public enum APIToken {
    /// A new token: `noit_` and 43 base64url characters (32 random bytes).
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let base64url = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return "noit_" + base64url
    }

    public static func digest(of token: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(token.utf8)))
    }

    /// `sha256:<hex>`, as `<api_token hash=…>` takes it.
    public static func hashText(of token: String) -> String {
        "sha256:" + digest(of: token).map { String(format: "%02x", $0) }.joined()
    }

    /// The configured token `presented` is, if any; every stored digest is compared in full.
    public static func match(_ presented: String, in tokens: [AccessSettings.APIToken]) -> AccessSettings.APIToken? {
        let digest = digest(of: presented)
        var found: AccessSettings.APIToken?
        for token in tokens where token.digest.count == digest.count {
            var difference: UInt8 = 0
            for (a, b) in zip(token.digest, digest) { difference |= a ^ b }
            if difference == 0 && found == nil { found = token }
        }
        return found
    }
}
