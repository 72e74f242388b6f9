import Foundation

/// The system resolver configuration, for the default nameserver.
enum DNSResolvConf {
    static let path = "/etc/resolv.conf"

    /// The address of the first `nameserver` line; comments (`#`, `;`) and other keywords
    /// are skipped. Nil when there is none.
    static func firstNameserver(in text: String) -> String? {
        for line in text.split(whereSeparator: \.isNewline) {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, fields[0] == "nameserver" else { continue }
            return String(fields[1])
        }
        return nil
    }

    /// The first nameserver of `path`, else 127.0.0.1 (what the C resolver falls back to).
    static func defaultNameserver(path: String = path) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return "127.0.0.1" }
        return firstNameserver(in: text) ?? "127.0.0.1"
    }
}
