/// Names from configuration text.
extension DNSName {
    /// Parses presentation format: dot-separated labels, an optional trailing dot, `\X` and
    /// `\DDD` escapes; "." alone is the root. Nil for empty labels, overlong labels or names,
    /// and broken escapes.
    init?(text: String) {
        if text == "." {
            self = .root
            return
        }
        var labels = [[UInt8]]()
        var label = [UInt8]()
        var bytes = Array(text.utf8)[...]
        while let byte = bytes.popFirst() {
            switch byte {
            case UInt8(ascii: "."):
                guard !label.isEmpty else { return nil }
                labels.append(label)
                label = []
            case UInt8(ascii: "\\"):
                guard let next = bytes.popFirst() else { return nil }
                if (0x30...0x39).contains(next) {
                    guard bytes.count >= 2, let value = Self.decimal([next, bytes.removeFirst(), bytes.removeFirst()]) else {
                        return nil
                    }
                    label.append(value)
                } else {
                    label.append(next)
                }
            default:
                label.append(byte)
            }
        }
        if !label.isEmpty { labels.append(label) }
        guard !labels.isEmpty else { return nil }
        self.init(labels: labels)
    }

    private static func decimal(_ digits: [UInt8]) -> UInt8? {
        guard digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        let value = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        return value <= 255 ? UInt8(value) : nil
    }
}
