import CLibXML2

/// A borrowed view of one element of a ``ConfigDocument``'s tree. Valid only while the
/// document is alive, which is why it never leaves this module.
struct ConfigElement: Hashable {
    let node: xmlNodePtr

    var name: String { String(cString: node.pointee.name) }

    /// The element's line in the source; libxml2 was asked for big line numbers, so this is
    /// exact past line 65535 too.
    var line: Int { xmlGetLineNo(node) }

    /// The attributes in document order. Values are the attribute text with entities expanded.
    var attributes: [(name: String, value: String)] {
        var result = [(name: String, value: String)]()
        var attribute = node.pointee.properties
        while let current = attribute {
            let value = LibXML.consume(xmlNodeListGetString(node.pointee.doc, current.pointee.children, 1)) ?? ""
            result.append((String(cString: current.pointee.name), value))
            attribute = current.pointee.next
        }
        return result
    }

    func attribute(_ name: String) -> String? {
        attributes.first { $0.name == name }?.value
    }

    /// The element children in document order.
    var children: [ConfigElement] {
        var result = [ConfigElement]()
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE { result.append(ConfigElement(node: current)) }
            child = current.pointee.next
        }
        return result
    }

    /// Text or CDATA directly inside the element that is not just whitespace: a config value
    /// placed where only elements belong.
    var hasStrayText: Bool {
        var child = node.pointee.children
        while let current = child {
            let type = current.pointee.type
            if type == XML_TEXT_NODE || type == XML_CDATA_SECTION_NODE,
               let content = current.pointee.content,
               !String(cString: content).allSatisfy(\.isWhitespace) {
                return true
            }
            child = current.pointee.next
        }
        return false
    }

    var parent: ConfigElement? {
        guard let parent = node.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE else { return nil }
        return ConfigElement(node: parent)
    }

    /// The exact text content, whitespace included.
    var text: String { LibXML.consume(xmlNodeGetContent(node)) ?? "" }

    /// The XPath-like location shown to operators, such as `/noit/checks/web` (with an index,
    /// `web[2]`, only when same-named siblings make one necessary).
    var path: String { LibXML.consume(xmlGetNodePath(node)) ?? "/" + name }

    /// How issues name the element: its tag with the first identifying attribute it has.
    var label: String {
        var attributes = [String: String]()
        for attribute in self.attributes where attributes[attribute.name] == nil {
            attributes[attribute.name] = attribute.value
        }
        for key in ["uuid", "id", "name", "type"] {
            if let value = attributes[key] { return "<\(name) \(key)=\"\(value)\">" }
        }
        return "<\(name)>"
    }
}
