import CheckModules
import Foundation
import NoitConfig
import NoitCore
import Synchronization

/// The checks the node runs, with their last results, shared between the scheduler's loop,
/// the HTTP API and (later) the console.
public final class CheckStore: Sendable {
    public struct Entry: Sendable {
        public var configured: ConfiguredCheck
        /// The check as the scheduler runs it: the module's defaults applied once here, when
        /// the check changes, rather than on every run.
        public var runnable: PreparedCheck
        public var lastResult: CheckResult?
        /// When the last recorded run was planned, and when it actually started.
        public var lastPlannedAt: Timestamp?
        public var lastRunAt: Timestamp?
    }

    private let entries = Mutex<[UUID: Entry]>([:])
    private let filtersets = Mutex<[String: Filterset]>([:])
    private let prepare: @Sendable (CheckDefinition) -> PreparedCheck

    /// `prepare` turns a configured definition into the one that runs (`ModuleRegistry.prepare`);
    /// it is called once per check and configuration change.
    public init(prepare: @escaping @Sendable (CheckDefinition) -> PreparedCheck) {
        self.prepare = prepare
    }

    public var count: Int { entries.withLock { $0.count } }

    public func definition(_ id: UUID) -> CheckDefinition? {
        entries.withLock { $0[id]?.configured.definition }
    }

    /// The check to run (see `Entry.runnable`).
    public func runnable(_ id: UUID) -> PreparedCheck? {
        entries.withLock { $0[id]?.runnable }
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
                let runnable = previous.flatMap { $0.configured.definition == configured.definition ? $0.runnable : nil }
                next[id] = Entry(
                    configured: configured, runnable: runnable ?? prepare(configured.definition), lastResult: previous?.lastResult,
                    lastPlannedAt: previous?.lastPlannedAt, lastRunAt: previous?.lastRunAt)
            }
            entries = next
        }
    }

    /// Stores a run's result and returns it with the check's filterset applied to its metrics,
    /// or nil when the check is gone.
    func recordResult(_ result: CheckResult, for id: UUID, planned: Timestamp, at time: Timestamp) -> (CheckDefinition, CheckResult)? {
        let found: CheckDefinition? = entries.withLock { entries in
            // In place: copying the entry out and back would copy its definitions each run.
            guard let index = entries.index(forKey: id) else { return nil }
            entries.values[index].lastResult = result
            entries.values[index].lastPlannedAt = planned
            entries.values[index].lastRunAt = time
            return entries.values[index].configured.definition
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
