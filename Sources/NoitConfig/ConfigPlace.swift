import Foundation

/// Where an edit applies: a section of the tree by its path, or a check by its uuid (a check's
/// element has no stable path of its own: its index shifts as siblings come and go).
public enum ConfigPlace: Sendable, Equatable {
    /// A canonical path relative to `<noit>`: `/` is `<noit>` itself, `/checks/web` its
    /// `<checks><web>`; a segment may carry an index, `web[2]`, among same-named siblings.
    case section(String)
    case check(UUID)
}
