import NoitCore

/// The modules a node can run, by name.
public struct ModuleRegistry: Sendable {
    private let modules: [String: any CheckModule]

    public init(_ modules: [any CheckModule]) {
        self.modules = Dictionary(modules.map { ($0.descriptor.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Every module this build ships. Adding a module is its own file plus its type in this list.
    public static let standardModuleTypes: [any CheckModule.Type] = [
        SelfCheckModule.self,
        TCPModule.self,
        HTTPModule.self,
        DNSModule.self,
        PingICMPModule.self,
        ExternalModule.self,
        PostgresModule.self,
    ]

    public static func standard(environment: ModuleEnvironment) -> ModuleRegistry {
        ModuleRegistry(standardModuleTypes.map { $0.init(environment: environment) })
    }

    /// Descriptors without instantiating anything, for validating configs offline.
    public static var standardDescriptors: [String: ModuleDescriptor] {
        Dictionary(standardModuleTypes.map { ($0.descriptor.name, $0.descriptor) }, uniquingKeysWith: { a, _ in a })
    }

    public func module(named name: String) -> (any CheckModule)? { modules[name] }

    public func descriptor(named name: String) -> ModuleDescriptor? { modules[name]?.descriptor }

    public var descriptors: [ModuleDescriptor] { modules.values.map(\.descriptor).sorted { $0.name < $1.name } }

    /// Runs a check with its module's defaults applied; an unknown module is a failed run, not a crash.
    public func run(_ check: CheckDefinition) async -> CheckResult {
        await run(prepare(check))
    }

    /// The check with its module's defaults filled into its config (unchanged for an unknown
    /// module), ready for `run(_:)`. The scheduler keeps one per check.
    public func prepare(_ check: CheckDefinition) -> PreparedCheck {
        guard let module = modules[check.module] else { return PreparedCheck(definition: check, module: nil) }
        var check = check
        check.config = module.descriptor.applyingDefaults(to: check.config)
        return PreparedCheck(definition: check, module: module)
    }

    /// Runs a prepared check; an unknown module is a failed run, not a crash.
    public func run(_ prepared: PreparedCheck) async -> CheckResult {
        await prepared.run()
    }
}
