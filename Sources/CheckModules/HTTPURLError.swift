/// Why a URL (configured, or from a `Location` header) cannot be requested.
enum HTTPURLError: Error, Hashable, Sendable, CustomStringConvertible {
    case invalid(String)
    case unsupportedScheme(String)

    var description: String {
        switch self {
        case .invalid(let reason): "invalid URL: \(reason)"
        case .unsupportedScheme(let scheme): "unsupported URL scheme '\(scheme)'"
        }
    }
}
