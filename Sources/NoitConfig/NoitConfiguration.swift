import NoitCore

/// Everything a node runs with, resolved from one `<noit>` document: inheritance applied,
/// defaults filled in, and every value validated.
public struct NoitConfiguration: Sendable, Equatable {
    /// The file the configuration was loaded from; nil when it was parsed from a string.
    public var sourcePath: String?
    public var journal: JournalSettings
    public var scheduler: SchedulerBounds
    /// The listeners to open, in document order. Without a `<listeners>` element these are
    /// ``ListenerSettings/defaults``; an empty `<listeners/>` means no listener at all.
    public var listeners: [ListenerSettings]
    /// Filtersets by name.
    public var filtersets: [String: Filterset]
    /// Every check in document order, disabled ones included.
    public var checks: [ConfiguredCheck]
    /// API tokens and the programs checks may run.
    public var access: AccessSettings

    public init(
        sourcePath: String? = nil,
        journal: JournalSettings = JournalSettings(),
        scheduler: SchedulerBounds = SchedulerBounds(),
        listeners: [ListenerSettings] = ListenerSettings.defaults,
        filtersets: [String: Filterset] = [:],
        checks: [ConfiguredCheck] = [],
        access: AccessSettings = AccessSettings()
    ) {
        self.sourcePath = sourcePath
        self.journal = journal
        self.scheduler = scheduler
        self.listeners = listeners
        self.filtersets = filtersets
        self.checks = checks
        self.access = access
    }
}
