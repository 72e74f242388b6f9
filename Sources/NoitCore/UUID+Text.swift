import Foundation

extension UUID {
    /// Parses the 36-character form (either case) directly from its bytes. Foundation's
    /// `UUID(uuidString:)` goes through `sscanf`, which dominated stratcond's ingest profile.
    public init?(text: some StringProtocol) {
        var bytes = (UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0),
                     UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0))
        var valid = text.utf8.count == 36
        if valid {
            withUnsafeMutableBytes(of: &bytes) { output in
                var position = 0, byteIndex = 0
                var high: UInt8?
                for character in text.utf8 {
                    defer { position += 1 }
                    if position == 8 || position == 13 || position == 18 || position == 23 {
                        if character != UInt8(ascii: "-") { valid = false; return }
                        continue
                    }
                    let nibble: UInt8
                    switch character {
                    case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = character - UInt8(ascii: "0")
                    case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = character - UInt8(ascii: "a") + 10
                    case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = character - UInt8(ascii: "A") + 10
                    default: valid = false; return
                    }
                    if let value = high {
                        output[byteIndex] = value << 4 | nibble
                        byteIndex += 1
                        high = nil
                    } else {
                        high = nibble
                    }
                }
            }
        }
        guard valid else { return nil }
        self.init(uuid: bytes)
    }
}
