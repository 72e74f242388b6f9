import Foundation
import NoitCore

/// One validation pass over a ``ConfigDocument``: collects every issue rather than stopping at
/// the first, and caches what many checks share (groups, config layers, module lookups) so a
/// large document resolves in time linear in its size.
struct ConfigResolver {
    let document: ConfigDocument
    let modules: (String) -> ModuleDescriptor?

    var issues = [ConfigIssue]()
    var scheduler = SchedulerBounds()
    var definedFiltersets = Set<String>()
    var templates = [String: ConfigElement]()
    var layers = [ConfigElement: ConfigLayer]()
    /// The `<config>` elements whose `inherit=` chain is being followed, outermost first.
    var layersInProgress = [ConfigElement]()
    var groups = [ConfigElement: InheritableAttributes]()
    var moduleCache = [String: ModuleDescriptor?]()
    /// Timeout/period conflicts already reported at a group, so ten thousand checks below a
    /// bad group give one issue.
    var reportedConflicts = Set<String>()
    /// Resolved before the checks, whose programs it allows.
    var access = AccessSettings()

    init(document: ConfigDocument, modules: @escaping (String) -> ModuleDescriptor?) {
        self.document = document
        self.modules = modules
    }

    mutating func resolve() -> Result<NoitConfiguration, ConfigError> {
        let root = document.root
        var configuration = NoitConfiguration(sourcePath: document.sourcePath)
        scheduler = resolveScheduler(in: root)
        configuration.scheduler = scheduler
        configuration.journal = resolveJournal(in: root)
        configuration.listeners = resolveListeners(in: root)
        configuration.filtersets = resolveFiltersets(in: root)
        access = resolveAccess(in: root)
        configuration.access = access
        indexTemplates()
        configuration.checks = resolveChecks(in: root)
        guard issues.isEmpty else {
            let ordered = issues.enumerated().sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }
            return .failure(ConfigError(issues: ordered.map(\.element)))
        }
        return .success(configuration)
    }

    mutating func report(_ element: ConfigElement, _ message: String, kind: ConfigIssue.Kind = .invalid) {
        issues.append(ConfigIssue(file: document.sourceName, line: element.line, element: element.label, message: message, kind: kind))
    }

    /// Reports each attribute not in `allowed`; typos such as `peroid` would otherwise be
    /// silently ignored and the check run with an inherited value.
    mutating func reportUnknownAttributes(
        of element: ConfigElement, _ attributes: [(name: String, value: String)], allowed: [String], context: String
    ) {
        for attribute in attributes where !allowed.contains(attribute.name) {
            report(element, "unknown attribute '\(attribute.name)' (allowed \(context): \(allowed.joined(separator: ", ")))")
        }
    }

    /// The first child of `parent` named `name`; later ones are reported, not merged.
    mutating func uniqueChild(of parent: ConfigElement, named name: String) -> ConfigElement? {
        let matches = parent.children.filter { $0.name == name }
        guard let first = matches.first else { return nil }
        for duplicate in matches.dropFirst() {
            report(duplicate, "duplicate <\(name)> (the first is at line \(first.line))")
        }
        return first
    }

    mutating func module(named name: String) -> ModuleDescriptor? {
        if let cached = moduleCache[name] { return cached }
        let descriptor = modules(name)
        moduleCache[name] = descriptor
        return descriptor
    }

    /// Validates a strictly positive integer attribute, reporting it when it is not one.
    mutating func positiveInteger(_ attribute: (name: String, value: String), of element: ConfigElement) -> Int64? {
        guard let value = Int64(attribute.value), value > 0 else {
            report(element, "\(attribute.name) '\(attribute.value)' must be a positive integer")
            return nil
        }
        return value
    }
}
