import NIOCore

extension PostgresBinaryText {
    /// Text of a binary `numeric`: a header of digit count, weight (the power of 10000 of the
    /// first digit), sign and display scale, then base-10000 digits. Written here rather than
    /// taken from PostgresNIO, whose decoder traps on some malformed input.
    static func numericText(_ bytes: ByteBuffer) -> String? {
        var buffer = bytes
        guard let (count, weight, sign, scale) = buffer.readMultipleIntegers(
            endianness: .big, as: (Int16, Int16, UInt16, Int16).self)
        else { return nil }
        switch sign {
        case 0xC000: return "NaN"
        case 0xD000: return "Infinity"
        case 0xF000: return "-Infinity"
        case 0x0000, 0x4000: break
        default: return nil
        }
        guard count >= 0, scale >= 0, buffer.readableBytes == Int(count) * 2 else { return nil }
        var digits = [Int16]()
        digits.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let digit = buffer.readInteger(endianness: .big, as: Int16.self), (0..<10_000).contains(digit) else {
                return nil
            }
            digits.append(digit)
        }
        func digit(at index: Int) -> Int16 { digits.indices.contains(index) ? digits[index] : 0 }
        func padded(_ digit: Int16) -> String {
            let text = String(digit)
            return String(repeating: "0", count: 4 - text.count) + text
        }

        var text = sign == 0x4000 ? "-" : ""
        if weight < 0 {
            text += "0"
        } else {
            text += String(digit(at: 0))
            for index in stride(from: 1, through: Int(weight), by: 1) { text += padded(digit(at: index)) }
        }
        if scale > 0 {
            var fraction = ""
            var index = Int(weight) + 1
            while fraction.count < Int(scale) {
                fraction += padded(digit(at: index))
                index += 1
            }
            text += "." + fraction.prefix(Int(scale))
        }
        return text
    }
}
