import Foundation

/// Who may change the node over REST, and which programs checks may run (`<access>`).
///
/// Only the config file sets these: a change over REST or the console that would alter them is
/// refused, so a credential to change checks is never a credential to widen its own rights.
/// `kill -HUP` (or the console's `reload`) re-reads them, which is how tokens are rotated.
public struct AccessSettings: Sendable, Equatable {
    /// One `<api_token name="…" hash="sha256:…"/>`: a bearer token for REST changes, stored as
    /// the SHA-256 of the token (tokens are random, so a fast hash is enough).
    public struct APIToken: Sendable, Equatable {
        public var name: String
        /// The 32-byte SHA-256 digest of the token.
        public var digest: [UInt8]

        public init(name: String, digest: [UInt8]) {
            self.name = name
            self.digest = digest
        }
    }

    public var apiTokens: [APIToken]
    /// Absolute paths a check may run (the `command` of `external`): one ending in `/` allows
    /// every program below that directory, any other exactly that file.
    public var programs: [String]

    /// Debian's monitoring-plugins, where `apt-get install monitoring-plugins` puts them.
    public static let monitoringPlugins = "/usr/lib/nagios/plugins/"

    /// Without `<program>` elements: Debian's monitoring-plugins and `plugins/` beside the
    /// config file.
    public static func defaultPrograms(configDirectory: String?) -> [String] {
        var programs = [monitoringPlugins]
        if let configDirectory, configDirectory.hasPrefix("/") {
            programs.append((configDirectory as NSString).appendingPathComponent("plugins") + "/")
        }
        return programs
    }

    public init(apiTokens: [APIToken] = [], programs: [String] = [AccessSettings.monitoringPlugins]) {
        self.apiTokens = apiTokens
        self.programs = programs
    }

    /// Whether `command` may be run: absolute, without `.` or `..` components (which could
    /// climb out of an allowed directory), and inside an allowed directory or equal to an
    /// allowed file.
    public func allowsProgram(_ command: String) -> Bool {
        guard command.hasPrefix("/") else { return false }
        let components = command.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard !components.contains(where: { $0 == "." || $0 == ".." || $0.isEmpty }) else { return false }
        return programs.contains { allowed in
            allowed.hasSuffix("/") ? command.hasPrefix(allowed) && command.count > allowed.count : command == allowed
        }
    }

    /// `sha256:` and 64 hex digits, as `noitd --make-token` prints.
    public static func digest(ofHashText text: String) -> [UInt8]? {
        guard text.hasPrefix("sha256:") else { return nil }
        let hex = Array(text.utf8.dropFirst(7))
        guard hex.count == 64 else { return nil }
        var digest = [UInt8]()
        digest.reserveCapacity(32)
        var index = 0
        while index < 64 {
            guard let high = hexValue(hex[index]), let low = hexValue(hex[index + 1]) else { return nil }
            digest.append(high << 4 | low)
            index += 2
        }
        return digest
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
