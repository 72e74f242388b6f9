import NIOHTTP1
import NoitCore

/// An http check's config, typed and checked beyond what the descriptor's patterns can say
/// (regular expressions compile, header names are tokens, the URL parses).
struct HTTPCheckConfig: Sendable {
    var url: HTTPURL
    var method: HTTPMethod
    /// `header_*` keys in key order, the prefix removed.
    var headers: HTTPHeaders
    var payload: [UInt8]?
    var codePattern: String
    var bodyPattern: String?
    var maxRedirects: Int
    var credentials: HTTPCredentials?
    var caChain: String?
    var insecure: Bool
    var readLimit: Int
    var sniName: String?

    static let headerPrefix = "header_"

    init(_ check: CheckDefinition) throws(HTTPConfigError) {
        let config = check.config
        guard let urlText = config["url"] else { throw HTTPConfigError("url is not set") }
        do {
            url = try HTTPURL(parsing: urlText)
        } catch {
            throw HTTPConfigError(error.description)
        }
        method = HTTPMethod(rawValue: (config["method"] ?? "GET").uppercased())

        headers = HTTPHeaders()
        for key in config.keys.sorted() where key.hasPrefix(Self.headerPrefix) {
            let name = String(key.dropFirst(Self.headerPrefix.count))
            let value = config[key] ?? ""
            guard !name.isEmpty, name.utf8.allSatisfy(Self.isTokenByte) else {
                throw HTTPConfigError("\(key): '\(name)' is not a valid header name")
            }
            guard !value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }) else {
                throw HTTPConfigError("\(key): header values cannot contain line breaks")
            }
            headers.add(name: name, value: value)
        }

        payload = config["payload"].map { Array($0.utf8) }
        codePattern = config["code"] ?? "^200$"
        guard PatternCache.isValid(codePattern) else { throw HTTPConfigError("code is not a valid regular expression") }
        bodyPattern = config["body"]
        if let bodyPattern, !PatternCache.isValid(bodyPattern) {
            throw HTTPConfigError("body is not a valid regular expression")
        }
        maxRedirects = check.intConfig("redirects") ?? 0

        if let user = config["auth_user"] {
            credentials = HTTPCredentials(user: user, password: config["auth_password"] ?? "")
        } else if let user = url.user {
            credentials = HTTPCredentials(user: user, password: url.password ?? "")
        }
        caChain = config["ca_chain"].flatMap { $0.isEmpty ? nil : $0 }
        insecure = check.boolConfig("insecure")
        guard let limit = check.intConfig("read_limit") ?? (config["read_limit"] == nil ? 1_048_576 : nil) else {
            throw HTTPConfigError("read_limit is out of range")
        }
        readLimit = limit
        sniName = config["sni_name"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// RFC 9110 `tchar`.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }
}
