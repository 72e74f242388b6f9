import Foundation

/// What `ls` shows of one element of the config tree.
public struct ConfigListing: Sendable, Equatable {
    /// The element's canonical path, as ``ConfigDocument/canonicalPath(_:from:)`` returns it.
    public var path: String
    /// The element's own attributes, in document order.
    public var attributes: [ConfigEntry]
    /// The keys of the element's own `<config>`, in document order, with `inherit` shown as
    /// an entry named `@inherit` when the config pulls in a template.
    public var config: [ConfigEntry]
    /// Child sections (every child element that is neither `<check>` nor `<config>`), as the
    /// names `cd` accepts.
    public var sections: [String]
    /// The uuids of the checks directly inside the element, in document order; unparseable
    /// uuids are left out (the resolver reports them).
    public var checks: [UUID]

    public init(path: String, attributes: [ConfigEntry], config: [ConfigEntry], sections: [String], checks: [UUID]) {
        self.path = path
        self.attributes = attributes
        self.config = config
        self.sections = sections
        self.checks = checks
    }
}

/// A name and its value: an attribute or a config key.
public struct ConfigEntry: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
