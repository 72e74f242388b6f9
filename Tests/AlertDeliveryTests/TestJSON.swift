import Foundation
import Testing

/// Decodes request bodies into Foundation values so tests can check fields one by one,
/// independently of key order and number formatting.
enum TestJSON {
    static func object(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        return try #require(value as? [String: Any], sourceLocation: sourceLocation)
    }

    static func array(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws -> [Any] {
        let value = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        return try #require(value as? [Any], sourceLocation: sourceLocation)
    }

    static func object(_ string: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        try object(Array(string.utf8), sourceLocation: sourceLocation)
    }
}
