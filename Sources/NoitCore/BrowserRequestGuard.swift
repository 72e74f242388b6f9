/// Refuses what a web page open in an operator's browser could send to a daemon on this
/// machine, loopback included: a request to a name that is not the listener's (DNS
/// rebinding points an attacker's name at 127.0.0.1), a change sent from another site (a
/// "simple" cross-site POST needs no preflight), and a body whose declared type is not one
/// the API parses (a form or `text/plain` body is exactly what such a page can send).
///
/// Pure: the HTTP servers ask it with the request's header values.
public struct BrowserRequestGuard: Sendable, Equatable {
    /// Names the listener answers to besides IP literals and `localhost`: lowercased, no port.
    public var hostNames: Set<String>

    public init(hostNames: Set<String> = []) {
        self.hostNames = Set(hostNames.map { Self.normalizedName($0) })
    }

    public struct Refusal: Equatable, Sendable {
        /// 421, 403 or 415.
        public var status: Int
        public var message: String
    }

    /// Nil when the request may go on.
    /// - Parameters:
    ///   - method: the request method, upper case.
    ///   - authority: the `Host` header (HTTP/1.1) or `:authority`; nil when absent.
    ///   - origin: the `Origin` header.
    ///   - fetchSite: the `Sec-Fetch-Site` header.
    ///   - contentType: the `Content-Type` header.
    public func check(method: String, authority: String?, origin: String?, fetchSite: String?, contentType: String?) -> Refusal? {
        if let authority, let refusal = checkHost(authority) { return refusal }
        guard !Self.safeMethods.contains(method) else { return nil }
        if let refusal = checkSite(authority: authority, origin: origin, fetchSite: fetchSite) { return refusal }
        if Self.bodyMethods.contains(method), !Self.isParsedType(contentType) {
            let declared = contentType.map { "'\($0)'" } ?? "no Content-Type"
            return Refusal(status: 415, message: "a body is read only as application/json or application/xml; this one has \(declared)")
        }
        return nil
    }

    static let safeMethods: Set<String> = ["GET", "HEAD", "OPTIONS"]
    static let bodyMethods: Set<String> = ["POST", "PUT", "PATCH"]

    private func checkHost(_ authority: String) -> Refusal? {
        guard let host = Self.host(ofAuthority: authority) else {
            return Refusal(status: 400, message: "the Host header '\(authority)' is not a host[:port]")
        }
        if Self.isIPLiteral(host) || host == "localhost" || hostNames.contains(host) { return nil }
        return Refusal(
            status: 421,
            message: "this listener does not answer to the name '\(host)'; an operator adds it to the listener's hosts=\"…\"")
    }

    private func checkSite(authority: String?, origin: String?, fetchSite: String?) -> Refusal? {
        if let fetchSite = fetchSite?.lowercased(), fetchSite == "cross-site" || fetchSite == "same-site" {
            return Refusal(status: 403, message: "a change sent by a page of another site (Sec-Fetch-Site: \(fetchSite)) is refused")
        }
        guard let origin else { return nil }
        // Same origin means the page was served by this very listener: its Origin names the
        // Host this request was sent to.
        if let authority, let originAuthority = Self.authority(ofOrigin: origin),
           originAuthority.lowercased() == authority.lowercased() {
            return nil
        }
        return Refusal(status: 403, message: "a change sent by the page at '\(origin)' is refused: it is not this listener's origin")
    }

    static func isParsedType(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        // Not `split(…)[0]`: an empty header splits into no pieces at all.
        let media = contentType.prefix { $0 != ";" }.trimmingSpaces().lowercased()
        return media == "application/json" || media == "application/xml" || media == "text/xml"
            || (media.hasPrefix("application/") && (media.hasSuffix("+json") || media.hasSuffix("+xml")))
    }

    /// `host` of `host`, `host:port`, `[v6]` or `[v6]:port`, lowercased without a trailing
    /// dot; nil when malformed.
    static func host(ofAuthority authority: String) -> String? {
        let text = authority.trimmingSpaces()
        guard !text.isEmpty, !text.contains("@"), !text.contains("/") else { return nil }
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let rest = text[text.index(after: close)...]
            guard rest.isEmpty || (rest.hasPrefix(":") && rest.dropFirst().allSatisfy(\.isASCIIDigit)) else { return nil }
            return String(text[...close]).lowercased()
        }
        var host = Substring(text)
        if let colon = text.lastIndex(of: ":") {
            guard text[text.index(after: colon)...].allSatisfy(\.isASCIIDigit) else { return nil }
            host = text[..<colon]
        }
        guard !host.isEmpty, !host.contains(":") else { return nil }
        return normalizedName(String(host))
    }

    /// `host:port` of `scheme://host[:port]` (the port as written; nil for `null` or junk).
    static func authority(ofOrigin origin: String) -> String? {
        guard let separator = origin.range(of: "://") else { return nil }
        let authority = origin[separator.upperBound...]
        guard !authority.isEmpty, !authority.contains("/") else { return nil }
        return String(authority)
    }

    static func normalizedName(_ name: String) -> String {
        var lowered = name.lowercased()
        while lowered.hasSuffix(".") { lowered.removeLast() }
        return lowered
    }

    /// A dotted-quad IPv4 address or a bracketed IPv6 literal: no name, so nothing to rebind.
    static func isIPLiteral(_ host: String) -> Bool {
        if host.hasPrefix("[") && host.hasSuffix("]") { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCIIDigit) && (Int(part).map { $0 <= 255 } ?? false)
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

extension StringProtocol {
    fileprivate func trimmingSpaces() -> String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
