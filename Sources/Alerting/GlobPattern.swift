/// A shell-style pattern (`*` any run of characters, `?` one character, everything else
/// literal), as operators write them for check names, targets and metric names.
public struct GlobPattern: Sendable, Hashable, Codable, CustomStringConvertible {
    public let text: String
    private let characters: [Character]
    /// The common shapes, matched without the general algorithm's allocation.
    private let shape: Shape

    private enum Shape: Hashable {
        case literal, everything, prefix(String), general
    }

    public init(_ text: String) {
        self.text = text
        self.characters = Array(text)
        let wildcards = characters.filter { $0 == "*" || $0 == "?" }
        if wildcards.isEmpty {
            shape = .literal
        } else if characters.allSatisfy({ $0 == "*" }) {
            shape = .everything
        } else if wildcards == ["*"], characters.last == "*" {
            shape = .prefix(String(text.dropLast()))
        } else {
            shape = .general
        }
    }

    public static func == (lhs: GlobPattern, rhs: GlobPattern) -> Bool { lhs.text == rhs.text }
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }

    public var description: String { text }
    public var matchesEverything: Bool { characters.allSatisfy { $0 == "*" } }

    public init(from decoder: any Decoder) throws { self.init(try decoder.singleValueContainer().decode(String.self)) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    /// Iterative matching with one backtrack point: linear for the patterns people write,
    /// never exponential whatever the pattern.
    public func matches(_ candidate: String) -> Bool {
        switch shape {
        case .literal: return candidate == text
        case .everything: return true
        case .prefix(let prefix): return candidate.hasPrefix(prefix)
        case .general: break
        }
        let subject = Array(candidate)
        var p = 0, s = 0
        var starAt: Int? = nil, resumeAt = 0
        while s < subject.count {
            if p < characters.count, characters[p] == "?" || (characters[p] != "*" && characters[p] == subject[s]) {
                p += 1
                s += 1
            } else if p < characters.count, characters[p] == "*" {
                starAt = p
                resumeAt = s
                p += 1
            } else if let star = starAt {
                p = star + 1
                resumeAt += 1
                s = resumeAt
            } else {
                return false
            }
        }
        while p < characters.count, characters[p] == "*" { p += 1 }
        return p == characters.count
    }
}
