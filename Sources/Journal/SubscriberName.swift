/// Subscriber names become checkpoint file names, so they are restricted to a safe alphabet.
enum SubscriberName {
    /// `[A-Za-z0-9._-]{1,128}`, not starting with '.' (no hidden files, no "." or "..").
    static func isValid(_ name: String) -> Bool {
        let bytes = name.utf8
        guard (1...128).contains(bytes.count), bytes.first != 0x2E else { return false }
        return bytes.allSatisfy { byte in
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2E, 0x5F, 0x2D: true
            default: false
            }
        }
    }
}
