import Foundation

extension HTTPURL {
    /// The URL a `Location` value points to, resolved against this one (RFC 3986 §5.2): absolute
    /// URLs, scheme-relative (`//host/p`), absolute paths, relative paths with dot segments, and
    /// query-only references. Fragments are dropped: they never reach the server.
    func resolving(_ reference: String) throws(HTTPURLError) -> HTTPURL {
        // Some servers send unencoded spaces in Location; browsers follow them, so do we.
        var text = reference.trimmingASCIIWhitespace.replacingOccurrences(of: " ", with: "%20")
        guard !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else {
            throw .invalid("Location contains control characters")
        }
        if let hash = text.firstIndex(of: "#") { text = String(text[..<hash]) }
        if text.hasPrefix("//") { return try HTTPURL(parsing: scheme.rawValue + ":" + text) }
        if Self.hasScheme(text) {
            guard text.contains("://") else { throw .invalid("'\(text)' has no authority") }
            return try HTTPURL(parsing: text)
        }

        var referencePath = Substring(text)
        var referenceQuery: String?
        if let question = text.firstIndex(of: "?") {
            referencePath = text[..<question]
            referenceQuery = String(text[text.index(after: question)...])
        }
        var resolved = self
        if referencePath.isEmpty {
            resolved.query = referenceQuery ?? query
            return resolved
        }
        if referencePath.hasPrefix("/") {
            resolved.path = Self.removingDotSegments(String(referencePath))
        } else {
            let directory = path[...(path.lastIndex(of: "/") ?? path.startIndex)]
            resolved.path = Self.removingDotSegments(String(directory) + referencePath)
        }
        resolved.query = referenceQuery
        return resolved
    }

    /// `scheme:` at the start, per RFC 3986 §3.1 (a letter, then letters, digits, `+`, `-`, `.`).
    private static func hasScheme(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":"), let first = text.first, first.isASCII, first.isLetter else {
            return false
        }
        return text[..<colon].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }
    }

    /// RFC 3986 §5.2.4: `.` and `..` segments resolved; never climbs above the root.
    static func removingDotSegments(_ path: String) -> String {
        var output = [Substring]()
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        for (index, segment) in segments.enumerated() {
            let isLast = index == segments.count - 1
            switch segment {
            case ".":
                if isLast { output.append("") }
            case "..":
                if !output.isEmpty { output.removeLast() }
                if isLast { output.append("") }
            default:
                output.append(segment)
            }
        }
        return "/" + output.joined(separator: "/")
    }
}

extension String {
    fileprivate var trimmingASCIIWhitespace: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return self[first...last]
    }
}
