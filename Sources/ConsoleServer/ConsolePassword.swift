import Crypto
import Foundation
import _CryptoExtras

/// Console password hashes: PBKDF2-HMAC-SHA256 in a self-describing string, so the
/// iteration count can be raised later without breaking stored hashes.
///
/// Format: `pbkdf2-sha256$<iterations>$<base64 salt>$<base64 key>`.
public enum ConsolePassword {
    /// Verification refuses more iterations than this: a hash string from a config file must
    /// not be able to stall a session for minutes.
    static let maxIterations = 10_000_000
    static let prefix = "pbkdf2-sha256"

    /// A new hash with a random 16-byte salt and a 32-byte key.
    public static func hash(_ password: String, iterations: Int = 100_000) -> String {
        precondition(iterations >= 1 && iterations <= maxIterations, "iterations out of range")
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let key = derive(password, salt: salt, iterations: iterations, length: 32)!
        return "\(prefix)$\(iterations)$\(Data(salt).base64EncodedString())$\(Data(key).base64EncodedString())"
    }

    /// Constant-time compare of the derived key; false for malformed hashes.
    public static func verify(_ password: String, against hash: String) -> Bool {
        let parts = hash.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == prefix,
              let iterations = Int(parts[1]), iterations >= 1, iterations <= maxIterations,
              let salt = Data(base64Encoded: String(parts[2])), !salt.isEmpty,
              let expected = Data(base64Encoded: String(parts[3])), (16...64).contains(expected.count),
              let actual = derive(password, salt: Array(salt), iterations: iterations, length: expected.count)
        else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(actual, expected) { difference |= a ^ b }
        return difference == 0
    }

    private static func derive(_ password: String, salt: [UInt8], iterations: Int, length: Int) -> [UInt8]? {
        guard let key = try? KDF.Insecure.PBKDF2.deriveKey(
            from: Array(password.utf8), salt: salt, using: .sha256,
            outputByteCount: length, unsafeUncheckedRounds: iterations)
        else { return nil }
        return key.withUnsafeBytes { Array($0) }
    }
}
