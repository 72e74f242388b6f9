/// A read-only copy of one element of a config document and everything below it, for
/// configuration formats other than the node's (stratcon.conf) that share the conventions:
/// elements, attributes, line numbers for error messages.
public struct ConfigNode: Sendable, Equatable {
    public var name: String
    public var attributes: [ConfigEntry]
    public var children: [ConfigNode]
    public var line: Int
    /// The element's text, whitespace included.
    public var text: String

    public func attribute(_ name: String) -> String? {
        attributes.first { $0.name == name }?.value
    }

    /// `<name attr="…">` as errors show it.
    public var label: String {
        for key in ["type", "address", "id", "name"] {
            if let value = attribute(key) { return "<\(name) \(key)=\"\(value)\">" }
        }
        return "<\(name)>"
    }
}

extension ConfigDocument {
    /// The whole document as ``ConfigNode``s.
    public func tree() -> ConfigNode {
        func copy(_ element: ConfigElement) -> ConfigNode {
            ConfigNode(
                name: element.name, attributes: element.attributes.map { ConfigEntry(name: $0.name, value: $0.value) },
                children: element.children.map(copy), line: element.line, text: element.text)
        }
        return copy(root)
    }
}
