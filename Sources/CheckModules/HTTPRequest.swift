import NIOHTTP1

/// One request of an http run: what to send and where to connect. The first request connects
/// to the check's target; a redirect's request connects to the host its URL names.
struct HTTPRequest: Sendable {
    var url: HTTPURL
    var method: HTTPMethod
    /// The check's `header_*` headers; they override the defaults of `head`.
    var customHeaders: HTTPHeaders
    var payload: [UInt8]?
    var credentials: HTTPCredentials?
    var connectHost: String
    /// The TLS server name sent and verified; nil for an IP literal host (SNI forbids those).
    var serverName: String?

    static let userAgent = "noitd-swift/1.0 (reconnoiter http check)"

    /// The first request of a run, sent to `target` whatever host the URL names.
    init(config: HTTPCheckConfig, target: String) {
        url = config.url
        method = config.method
        customHeaders = config.headers
        payload = config.payload
        credentials = config.credentials
        connectHost = target
        serverName = config.sniName ?? (config.url.host.isIPAddressLiteral ? nil : config.url.host)
    }

    /// The host name the certificate must be valid for: the SNI name, else the URL's IP literal.
    var identityName: String { serverName ?? url.host }

    /// The request line and headers as sent. Every run uses a fresh connection, so it asks the
    /// server to close it: that also delimits bodies that have neither length nor chunking.
    var head: HTTPRequestHead {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: customHeaders.first(name: "Host") ?? url.hostHeader)
        for (name, value) in [("User-Agent", Self.userAgent), ("Accept", "*/*"), ("Connection", "close")]
        where !customHeaders.contains(name: name) {
            headers.add(name: name, value: value)
        }
        if let credentials, !customHeaders.contains(name: "Authorization") {
            headers.add(name: "Authorization", value: credentials.authorization)
        }
        if let payload {
            headers.add(name: "Content-Length", value: String(payload.count))
        } else if [.POST, .PUT, .PATCH].contains(method) {
            // Many servers answer 411 to a body-carrying method without a length.
            headers.add(name: "Content-Length", value: "0")
        }
        for (name, value) in customHeaders where name.lowercased() != "host" && name.lowercased() != "content-length" {
            headers.add(name: name, value: value)
        }
        return HTTPRequestHead(version: .http1_1, method: method, uri: url.requestTarget, headers: headers)
    }
}
