import NIOHTTP1

extension HTTPRequest {
    static let redirectStatuses: Set<Int> = [301, 302, 303, 307, 308]

    /// The request that follows a redirect response, or nil when `status` is not a redirect or
    /// there is no `Location`.
    ///
    /// Like browsers and curl: 303 turns any method but HEAD into a body-less GET, 301 and 302
    /// do so for POST, 307 and 308 repeat the request as is. Credentials and a custom `Host`
    /// header only follow to the same origin, so a redirect cannot leak a password elsewhere.
    func redirected(status: Int, location: String?) throws(HTTPURLError) -> HTTPRequest? {
        guard Self.redirectStatuses.contains(status), let location, !location.isEmpty else { return nil }
        var next = self
        next.url = try url.resolving(location)
        next.connectHost = next.url.host
        next.serverName = next.url.host.isIPAddressLiteral ? nil : next.url.host
        if status == 303 && method != .HEAD || (status == 301 || status == 302) && method == .POST {
            next.method = .GET
            next.payload = nil
        }
        if !next.url.sameOrigin(as: url) {
            next.customHeaders.remove(name: "Host")
            next.customHeaders.remove(name: "Authorization")
            next.credentials = nil
        }
        if next.credentials == nil, let user = next.url.user {
            next.credentials = HTTPCredentials(user: user, password: next.url.password ?? "")
        }
        return next
    }
}
