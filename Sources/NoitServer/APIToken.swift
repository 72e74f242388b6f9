import Crypto
import NoitConfig

/// Bearer tokens for REST changes: made at random, stored only as their SHA-256 (a token has
/// 256 random bits, so a fast hash cannot be guessed back), compared in constant time.
public enum APIToken {
    /// A new token: `noit_` and 43 base64url characters (32 random bytes).
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var text = [UInt8]()
        var accumulator = 0
        var bits = 0
        for byte in bytes {
            accumulator = accumulator << 8 | Int(byte)
            bits += 8
            while bits >= 6 {
                bits -= 6
                text.append(alphabet[(accumulator >> bits) & 63])
            }
        }
        if bits > 0 { text.append(alphabet[(accumulator << (6 - bits)) & 63]) }
        return "noit_" + String(decoding: text, as: UTF8.self)
    }

    public static func digest(of token: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(token.utf8)))
    }

    /// `sha256:<hex>`, as `<api_token hash=…>` takes it.
    public static func hashText(of token: String) -> String {
        "sha256:" + digest(of: token).map { byte in
            let hex = Array("0123456789abcdef".utf8)
            return String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 15)]], as: UTF8.self)
        }.joined()
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
