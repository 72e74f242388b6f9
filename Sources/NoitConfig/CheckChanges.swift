import Foundation
import NoitCore

/// What a reload changes, so that only the affected checks are re-planned.
public struct CheckChanges: Sendable, Equatable {
    /// Checks whose uuid is new, in the new document's order.
    public var added: [CheckDefinition]
    /// Checks whose uuid existed and whose definition differs in any way, in the new document's order.
    public var changed: [CheckDefinition]
    /// Uuids no longer defined, in the old document's order.
    public var removed: [UUID]

    public init(added: [CheckDefinition] = [], changed: [CheckDefinition] = [], removed: [UUID] = []) {
        self.added = added
        self.changed = changed
        self.removed = removed
    }

    public var isEmpty: Bool { added.isEmpty && changed.isEmpty && removed.isEmpty }
}
