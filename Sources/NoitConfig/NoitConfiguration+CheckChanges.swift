import Foundation
import NoitCore

extension NoitConfiguration {
    /// The check differences from `old` to this configuration, by uuid. Source lines and
    /// inheritance provenance do not count as changes: only what the scheduler runs does.
    public func checkChanges(from old: NoitConfiguration) -> CheckChanges {
        var oldByUUID = [UUID: CheckDefinition](minimumCapacity: old.checks.count)
        for check in old.checks { oldByUUID[check.definition.uuid] = check.definition }
        var changes = CheckChanges()
        var seen = Set<UUID>(minimumCapacity: checks.count)
        for check in checks {
            let definition = check.definition
            seen.insert(definition.uuid)
            if let previous = oldByUUID[definition.uuid] {
                if previous != definition { changes.changed.append(definition) }
            } else {
                changes.added.append(definition)
            }
        }
        changes.removed = old.checks.map(\.definition.uuid).filter { !seen.contains($0) }
        return changes
    }
}
