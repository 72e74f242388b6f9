import CLibXML2
import Foundation
import NoitCore

/// Editing in place, for the console and the REST API. None of these validate the result:
/// callers edit a ``copy()``, ``resolve(modules:)`` it, and only keep it when it resolves, so
/// an edit is accepted exactly when the same text in the config file would load.
extension ConfigDocument {
    /// Elements a section may not be named, because the resolver gives them meaning.
    static let reservedSectionNames: Set<String> = ["check", "config"]

    /// An independent deep copy; editing it leaves this document untouched.
    public func copy() -> ConfigDocument {
        guard let copied = xmlCopyDoc(document, 1) else { fatalError("libxml2 could not copy a document (out of memory)") }
        return ConfigDocument(adopting: copied, sourceName: sourceName, sourcePath: sourcePath)
    }

    /// Turns `input` (absolute, or relative to `current`; `.` and `..` allowed) into the
    /// canonical path of an existing section.
    public func canonicalPath(_ input: String, from current: String = "/") throws(ConfigEditError) -> String {
        var segments = input.hasPrefix("/") ? [] : Self.segments(of: current)
        for segment in input.split(separator: "/", omittingEmptySubsequences: true).map(String.init) {
            switch segment {
            case ".": continue
            case "..": if !segments.isEmpty { segments.removeLast() }
            default:
                guard Self.isValidSegment(segment) else {
                    throw ConfigEditError(.invalid, "'\(segment)' is not a valid section name")
                }
                guard !Self.reservedSectionNames.contains(Self.baseName(of: segment)) else {
                    throw ConfigEditError(.invalid, "<\(segment)> is not a section; use the check and config commands")
                }
                segments.append(segment)
            }
        }
        let path = "/" + segments.joined(separator: "/")
        _ = try sectionElement(at: path)
        return path
    }

    /// The element's attributes, config, sections and checks.
    public func listing(at place: ConfigPlace) throws(ConfigEditError) -> ConfigListing {
        let element = try self.element(at: place)
        var sections = [String]()
        var checks = [UUID]()
        var config = [ConfigEntry]()
        var totals = [String: Int]()
        for child in element.children { totals[child.name, default: 0] += 1 }
        var seen = [String: Int]()
        for child in element.children {
            switch child.name {
            case "check":
                if let text = child.attribute("uuid"), let uuid = UUID(uuidString: text) { checks.append(uuid) }
            case "config":
                if let inherit = child.attribute("inherit") { config.append(ConfigEntry(name: "@inherit", value: inherit)) }
                for key in child.children { config.append(ConfigEntry(name: key.name, value: key.text)) }
            default:
                seen[child.name, default: 0] += 1
                sections.append(totals[child.name]! > 1 ? "\(child.name)[\(seen[child.name]!)]" : child.name)
            }
        }
        let path: String
        switch place {
        case .section(let given): path = given
        case .check: path = Self.relativePath(of: element.parent ?? element)
        }
        return ConfigListing(
            path: path, attributes: element.attributes.map { ConfigEntry(name: $0.name, value: $0.value) },
            config: config, sections: sections, checks: checks)
    }

    /// The section holding a check, or nil when no check has that uuid.
    public func sectionPath(ofCheck uuid: UUID) -> String? {
        guard let element = checkElement(uuid), let parent = element.parent else { return nil }
        return Self.relativePath(of: parent)
    }

    /// The section of every check, in one pass: asking ``sectionPath(ofCheck:)`` per check
    /// would scan all checks for each one.
    public func sectionPaths() -> [UUID: String] {
        var paths = [UUID: String]()
        var parentPaths = [ConfigElement: String]()
        for element in elements(matching: "/noit//check") {
            guard let uuid = element.attribute("uuid").flatMap(UUID.init(uuidString:)), let parent = element.parent else { continue }
            if let known = parentPaths[parent] {
                paths[uuid] = known
            } else {
                let path = Self.relativePath(of: parent)
                parentPaths[parent] = path
                paths[uuid] = path
            }
        }
        return paths
    }

    /// Creates an empty child section `name` under the section at `path`.
    public func addSection(named name: String, at path: String) throws(ConfigEditError) {
        guard Self.isValidName(name) else { throw ConfigEditError(.invalid, "'\(name)' is not a valid section name") }
        guard !Self.reservedSectionNames.contains(name) else {
            throw ConfigEditError(.invalid, "'\(name)' is reserved; use the check and config commands")
        }
        let parent = try sectionElement(at: path)
        guard !parent.children.contains(where: { $0.name == name }) else {
            throw ConfigEditError(.conflict, "section '\(name)' already exists in \(path)")
        }
        _ = name.withXMLString { xmlNewChild(parent.node, nil, $0, nil) }
    }

    /// Removes the child section `name` (a canonical segment, `web` or `web[2]`) of the
    /// section at `path`. A section that still holds checks is refused, so a typo cannot
    /// delete a data centre's worth of checks at once.
    public func removeSection(named name: String, at path: String) throws(ConfigEditError) {
        let childPath = (path == "/" ? "" : path) + "/" + name
        guard Self.isValidSegment(name), !Self.reservedSectionNames.contains(Self.baseName(of: name)) else {
            throw ConfigEditError(.invalid, "'\(name)' is not a section")
        }
        let element = try sectionElement(at: childPath)
        let checks = elements(matching: "/noit" + childPath + "//check").count
        guard checks == 0 else {
            throw ConfigEditError(.conflict, "section \(childPath) still holds \(checks) check(s); remove them first")
        }
        xmlUnlinkNode(element.node)
        xmlFreeNode(element.node)
    }

    /// Sets an attribute; returns the value it replaced.
    @discardableResult
    public func setAttribute(_ name: String, to value: String, at place: ConfigPlace) throws(ConfigEditError) -> String? {
        guard Self.isValidName(name) else { throw ConfigEditError(.invalid, "'\(name)' is not a valid attribute name") }
        if case .check = place, name == "uuid" { throw ConfigEditError(.invalid, "a check's uuid cannot be changed") }
        let element = try self.element(at: place)
        let previous = element.attribute(name)
        name.withXMLString { xmlName in
            value.withXMLString { xmlValue in _ = xmlSetProp(element.node, xmlName, xmlValue) }
        }
        return previous
    }

    /// Removes an attribute so the value is inherited again; returns the value it had.
    @discardableResult
    public func removeAttribute(_ name: String, at place: ConfigPlace) throws(ConfigEditError) -> String {
        if case .check = place, name == "uuid" { throw ConfigEditError(.invalid, "a check's uuid cannot be removed") }
        let element = try self.element(at: place)
        guard let previous = element.attribute(name) else {
            throw ConfigEditError(.notFound, "no attribute '\(name)' here")
        }
        _ = name.withXMLString { xmlUnsetProp(element.node, $0) }
        return previous
    }

    /// Sets a key of the element's own `<config>` (created when missing); returns the value it
    /// replaced.
    @discardableResult
    public func setConfig(_ key: String, to value: String, at place: ConfigPlace) throws(ConfigEditError) -> String? {
        guard Self.isValidName(key) else { throw ConfigEditError(.invalid, "'\(key)' is not a valid config key") }
        let element = try self.element(at: place)
        let config = element.children.first { $0.name == "config" } ?? ConfigElement(node: "config".withXMLString { xmlNewChild(element.node, nil, $0, nil) }!)
        let existing = config.children.first { $0.name == key }
        let previous = existing?.text
        if let existing {
            xmlUnlinkNode(existing.node)
            xmlFreeNode(existing.node)
        }
        // xmlNewTextChild escapes the value; xmlNewChild would take it as markup.
        key.withXMLString { xmlKey in
            value.withXMLString { xmlValue in _ = xmlNewTextChild(config.node, nil, xmlKey, xmlValue) }
        }
        return previous
    }

    /// Removes a key from the element's own `<config>`; returns the value it had. An emptied
    /// `<config>` without attributes is removed too.
    @discardableResult
    public func removeConfig(_ key: String, at place: ConfigPlace) throws(ConfigEditError) -> String {
        let element = try self.element(at: place)
        guard let config = element.children.first(where: { $0.name == "config" }),
              let existing = config.children.first(where: { $0.name == key })
        else { throw ConfigEditError(.notFound, "no config key '\(key)' here") }
        let previous = existing.text
        xmlUnlinkNode(existing.node)
        xmlFreeNode(existing.node)
        if config.children.isEmpty, config.attributes.isEmpty {
            xmlUnlinkNode(config.node)
            xmlFreeNode(config.node)
        }
        return previous
    }

    /// Appends a new `<check>` to the section at `path`.
    public func addCheck(_ uuid: UUID, attributes: [ConfigEntry], config: [ConfigEntry], at path: String) throws(ConfigEditError) {
        guard checkElement(uuid) == nil else { throw ConfigEditError(.conflict, "check \(uuid.lowercasedString) already exists") }
        let parent = try sectionElement(at: path)
        guard let node = "check".withXMLString({ xmlNewChild(parent.node, nil, $0, nil) }) else { return }
        try fill(ConfigElement(node: node), uuid: uuid, attributes: attributes, config: config)
    }

    /// Makes the check's own attributes and `<config>` exactly the given ones (what it does not
    /// set is inherited again), keeping its place in the tree; a check that does not exist is
    /// created in the section at `path`. Returns true when it was created.
    @discardableResult
    public func replaceCheck(_ uuid: UUID, attributes: [ConfigEntry], config: [ConfigEntry], orCreateAt path: String) throws(ConfigEditError) -> Bool {
        guard let existing = checkElement(uuid) else {
            try addCheck(uuid, attributes: attributes, config: config, at: path)
            return true
        }
        guard let node = "check".withXMLString({ xmlNewNode(nil, $0) }) else { return false }
        do {
            try fill(ConfigElement(node: node), uuid: uuid, attributes: attributes, config: config)
        } catch {
            xmlFreeNode(node)
            throw error
        }
        // The replaced node may carry the document's only copy of nothing else: `<check>`
        // holds no children but `<config>`, which is replaced too.
        xmlReplaceNode(existing.node, node)
        xmlFreeNode(existing.node)
        return false
    }

    /// Deletes a check.
    public func removeCheck(_ uuid: UUID) throws(ConfigEditError) {
        guard let element = checkElement(uuid) else {
            throw ConfigEditError(.notFound, "no check \(uuid.lowercasedString)")
        }
        xmlUnlinkNode(element.node)
        xmlFreeNode(element.node)
    }

    /// The check's own attributes and config, as written (not inherited); nil when it does not
    /// exist.
    public func ownSettings(ofCheck uuid: UUID) -> (attributes: [ConfigEntry], config: [ConfigEntry])? {
        guard checkElement(uuid) != nil, let listing = try? listing(at: .check(uuid)) else { return nil }
        return (listing.attributes, listing.config)
    }

    // MARK: - Helpers

    private func fill(_ element: ConfigElement, uuid: UUID, attributes: [ConfigEntry], config: [ConfigEntry]) throws(ConfigEditError) {
        for attribute in attributes where attribute.name != "uuid" {
            guard Self.isValidName(attribute.name) else {
                throw ConfigEditError(.invalid, "'\(attribute.name)' is not a valid attribute name")
            }
        }
        for entry in config where entry.name != "@inherit" {
            guard Self.isValidName(entry.name) else { throw ConfigEditError(.invalid, "'\(entry.name)' is not a valid config key") }
        }
        let node = element.node
        "uuid".withXMLString { name in uuid.lowercasedString.withXMLString { _ = xmlSetProp(node, name, $0) } }
        for attribute in attributes where attribute.name != "uuid" {
            attribute.name.withXMLString { name in attribute.value.withXMLString { _ = xmlSetProp(node, name, $0) } }
        }
        guard !config.isEmpty, let configNode = "config".withXMLString({ xmlNewChild(node, nil, $0, nil) }) else { return }
        for entry in config {
            if entry.name == "@inherit" {
                "inherit".withXMLString { name in entry.value.withXMLString { _ = xmlSetProp(configNode, name, $0) } }
            } else {
                entry.name.withXMLString { name in entry.value.withXMLString { _ = xmlNewTextChild(configNode, nil, name, $0) } }
            }
        }
    }

    func element(at place: ConfigPlace) throws(ConfigEditError) -> ConfigElement {
        switch place {
        case .section(let path): return try sectionElement(at: path)
        case .check(let uuid):
            guard let element = checkElement(uuid) else { throw ConfigEditError(.notFound, "no check \(uuid.lowercasedString)") }
            return element
        }
    }

    /// The element at a canonical path; segments were validated, so the XPath built from them
    /// cannot be anything but a child walk.
    func sectionElement(at path: String) throws(ConfigEditError) -> ConfigElement {
        let segments = Self.segments(of: path)
        for segment in segments where !Self.isValidSegment(segment) {
            throw ConfigEditError(.invalid, "'\(segment)' is not a valid section name")
        }
        var element = root
        for segment in segments {
            let name = Self.baseName(of: segment)
            let matches = element.children.filter { $0.name == name }
            let index = Self.index(of: segment) ?? 1
            guard index >= 1, index <= matches.count else {
                throw ConfigEditError(.notFound, "no section \(path)")
            }
            element = matches[index - 1]
        }
        return element
    }

    func checkElement(_ uuid: UUID) -> ConfigElement? {
        elements(matching: "/noit//check").first { element in
            element.attribute("uuid").flatMap(UUID.init(uuidString:)) == uuid
        }
    }

    /// The canonical path of an element: its libxml2 node path without the leading `/noit`.
    static func relativePath(of element: ConfigElement) -> String {
        let full = element.path
        let trimmed = full.hasPrefix("/noit") ? String(full.dropFirst(5)) : full
        return trimmed.isEmpty ? "/" : trimmed
    }

    static func segments(of path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    static func baseName(of segment: String) -> String {
        segment.firstIndex(of: "[").map { String(segment[..<$0]) } ?? segment
    }

    static func index(of segment: String) -> Int? {
        guard let open = segment.firstIndex(of: "["), segment.hasSuffix("]") else { return nil }
        return Int(segment[segment.index(after: open)..<segment.index(before: segment.endIndex)])
    }

    static func isValidSegment(_ segment: String) -> Bool {
        let name = baseName(of: segment)
        guard isValidName(name) else { return false }
        if segment == name { return true }
        guard let index = index(of: segment) else { return false }
        return index >= 1 && segment == "\(name)[\(index)]"
    }

    /// An XML element or attribute name without a namespace prefix.
    static func isValidName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 256 else { return false }
        return name.withXMLString { xmlValidateNCName($0, 0) } == 0
    }
}

extension String {
    func withXMLString<Result>(_ body: (UnsafePointer<xmlChar>) throws -> Result) rethrows -> Result {
        try withCString { text in
            try text.withMemoryRebound(to: xmlChar.self, capacity: utf8.count + 1) { try body($0) }
        }
    }
}
