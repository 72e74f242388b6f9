/// An absolute `http` or `https` URL, split into what a request needs: where to connect, what
/// to put in the `Host` header, and the request target.
///
/// Parsed by hand rather than with Foundation's `URL` so that every accepted form (IPv6 literals,
/// user info, empty paths) behaves the same on every platform and has a unit test.
struct HTTPURL: Hashable, Sendable, CustomStringConvertible {
    enum Scheme: String, Sendable {
        case http
        case https

        var defaultPort: Int { self == .http ? 80 : 443 }
    }

    var scheme: Scheme
    /// The host without brackets (an IPv6 literal is `::1`, not `[::1]`).
    var host: String
    var port: Int
    /// Starts with `/`; still percent-encoded as received.
    var path: String
    /// The text after `?`, without it; nil when the URL had no `?`.
    var query: String?
    /// Percent-decoded user info, for basic auth when the check sets no `auth_user`.
    var user: String?
    var password: String?

    var isTLS: Bool { scheme == .https }

    /// What goes on the request line: the path and the query.
    var requestTarget: String { query.map { path + "?" + $0 } ?? path }

    /// The authority as a `Host` header states it: brackets around IPv6, the port only when it
    /// is not the scheme's default.
    var hostHeader: String {
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return port == scheme.defaultPort ? bracketed : "\(bracketed):\(port)"
    }

    /// The URL without user info (safe to show in a status line).
    var description: String { "\(scheme.rawValue)://\(hostHeader)\(requestTarget)" }

    /// Whether two URLs reach the same origin (credentials and custom `Host` only follow within one).
    func sameOrigin(as other: HTTPURL) -> Bool {
        scheme == other.scheme && host.lowercased() == other.host.lowercased() && port == other.port
    }

    init(scheme: Scheme, host: String, port: Int? = nil, path: String = "/", query: String? = nil) {
        self.scheme = scheme
        self.host = host
        self.port = port ?? scheme.defaultPort
        self.path = path
        self.query = query
    }

    /// Parses an absolute URL; the error says what is wrong with it.
    init(parsing text: String) throws(HTTPURLError) {
        guard !text.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else {
            throw .invalid("contains spaces or control characters")
        }
        guard let separator = text.range(of: "://") else { throw .invalid("missing scheme") }
        guard let scheme = Scheme(rawValue: text[..<separator.lowerBound].lowercased()) else {
            throw .unsupportedScheme(String(text[..<separator.lowerBound]))
        }
        var rest = text[separator.upperBound...]
        if let fragment = rest.firstIndex(of: "#") { rest = rest[..<fragment] }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        let remainder = rest[authorityEnd...]

        var user: String?
        var password: String?
        if let at = authority.lastIndex(of: "@") {
            let info = authority[..<at]
            authority = authority[authority.index(after: at)...]
            if let colon = info.firstIndex(of: ":") {
                user = info[..<colon].percentDecoded
                password = info[info.index(after: colon)...].percentDecoded
            } else {
                user = info.percentDecoded
            }
        }

        let host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw .invalid("unterminated IPv6 literal") }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .invalid("unexpected text after IPv6 literal") }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty else { throw .invalid("missing host") }
        var port: Int?
        if let portText, !portText.isEmpty {
            guard portText.allSatisfy(\.isASCIIDigit), portText.count <= 5, let value = Int(portText), (1...65535).contains(value) else {
                throw .invalid("invalid port '\(portText)'")
            }
            port = value
        }

        var path = remainder
        var query: String?
        if let question = remainder.firstIndex(of: "?") {
            path = remainder[..<question]
            query = String(remainder[remainder.index(after: question)...])
        }
        self.init(scheme: scheme, host: String(host), port: port, path: path.isEmpty ? "/" : String(path), query: query)
        self.user = user
        self.password = password
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isWholeNumber }
}

extension StringProtocol {
    /// `%XX` sequences decoded; a malformed escape is kept as written.
    fileprivate var percentDecoded: String {
        let bytes = Array(utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x25, index + 2 < bytes.count,
                let value = UInt8(String(decoding: bytes[index + 1...index + 2], as: UTF8.self), radix: 16)
            {
                out.append(value)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
