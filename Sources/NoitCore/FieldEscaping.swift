/// Escaping for record fields, so that no value can split a record into fields or lines.
///
/// Tab, newline, carriage return and backslash become two-character escapes; every other
/// control character becomes `\xHH`. Everything else, including non-ASCII text, passes as is.
public enum FieldEscaping {
    public static func escape(_ field: String) -> String {
        // Most fields need nothing; checking first keeps the hot path free of allocation.
        guard field.utf8.contains(where: { $0 < 0x20 || $0 == 0x5C || $0 == 0x7F }) else { return field }
        var out = [UInt8]()
        out.reserveCapacity(field.utf8.count + 8)
        for byte in field.utf8 {
            switch byte {
            case 0x09: out.append(contentsOf: [0x5C, 0x74])  // \t
            case 0x0A: out.append(contentsOf: [0x5C, 0x6E])  // \n
            case 0x0D: out.append(contentsOf: [0x5C, 0x72])  // \r
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])  // \\
            case 0..<0x20, 0x7F:
                out.append(contentsOf: [0x5C, 0x78, hexDigit(byte >> 4), hexDigit(byte & 0xF)])
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Reverses `escape`; nil when the text holds a raw control character or a broken escape.
    public static func unescape<S: StringProtocol>(_ text: S) -> String? {
        guard text.utf8.contains(where: { $0 == 0x5C || $0 < 0x20 || $0 == 0x7F }) else { return String(text) }
        let bytes = Array(text.utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x20 || byte == 0x7F { return nil }
            guard byte == 0x5C else {
                out.append(byte)
                index += 1
                continue
            }
            guard index + 1 < bytes.count else { return nil }
            switch bytes[index + 1] {
            case 0x74: out.append(0x09); index += 2
            case 0x6E: out.append(0x0A); index += 2
            case 0x72: out.append(0x0D); index += 2
            case 0x5C: out.append(0x5C); index += 2
            case 0x78:
                guard index + 3 < bytes.count, let high = hexValue(bytes[index + 2]),
                    let low = hexValue(bytes[index + 3])
                else { return nil }
                out.append(high << 4 | low)
                index += 4
            default: return nil
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 + nibble : 0x61 + nibble - 10
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x61...0x66: byte - 0x61 + 10
        case 0x41...0x46: byte - 0x41 + 10
        default: nil
        }
    }
}
