import Foundation
import NoitConfig
import NoitCore
import Synchronization

/// The checks the node runs, with their last results, shared between the scheduler's loop,
/// the HTTP API and (later) the console.
public final class CheckStore: Sendable {
    public struct Entry: Sendable {
        public var configured: ConfiguredCheck
        public var lastResult: CheckResult?
        /// When the last recorded run was planned, and when it actually started.
        public var lastPlannedAt: Timestamp?
        public var lastRunAt: Timestamp?
    }

    private let entries = Mutex<[UUID: Entry]>([:])
    private let filtersets = Mutex<[String: Filterset]>([:])

    public init() {}

    public var count: Int { entries.withLock { $0.count } }

    public func definition(_ id: UUID) -> CheckDefinition? {
        entries.withLock { $0[id]?.configured.definition }
    }

    public func entry(_ id: UUID) -> Entry? {
        entries.withLock { $0[id] }
    }

    public func all() -> [Entry] {
        entries.withLock { Array($0.values) }
    }

    /// Replaces everything with a freshly loaded configuration.
    func apply(_ configuration: NoitConfiguration) {
        filtersets.withLock { $0 = configuration.filtersets }
        entries.withLock { entries in
            var next = [UUID: Entry]()
            for configured in configuration.checks {
                let id = configured.definition.uuid
                let previous = entries[id]
                next[id] = Entry(
                    configured: configured, lastResult: previous?.lastResult,
                    lastPlannedAt: previous?.lastPlannedAt, lastRunAt: previous?.lastRunAt)
            }
            entries = next
        }
    }

    /// Stores a run's result and returns it with the check's filterset applied to its metrics,
    /// or nil when the check is gone.
    func recordResult(_ result: CheckResult, for id: UUID, planned: Timestamp, at time: Timestamp) -> (CheckDefinition, CheckResult)? {
        let found: CheckDefinition? = entries.withLock { entries in
            guard var entry = entries[id] else { return nil }
            entry.lastResult = result
            entry.lastPlannedAt = planned
            entry.lastRunAt = time
            entries[id] = entry
            return entry.configured.definition
        }
        guard let definition = found else { return nil }
        guard let name = definition.filterset, let filterset = filtersets.withLock({ $0[name] }) else {
            return (definition, result)
        }
        var filtered = result
        filtered.metrics = result.metrics.filter {
            filterset.allows(module: definition.module, checkName: definition.name, metric: $0.name)
        }
        return (definition, filtered)
    }
}
