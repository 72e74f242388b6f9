import NoitCore

/// A kind of check the node can run (the Swift form of the original's `noit_module_t`).
///
/// A module declares its parameters so configs are validated before anything runs, and runs one
/// check at a time per call; many calls run concurrently. `run` must return promptly once its
/// task is cancelled: the scheduler cancels it at the check's timeout.
public protocol CheckModule: Sendable {
    static var descriptor: ModuleDescriptor { get }

    init(environment: ModuleEnvironment)

    /// Runs the check once. `check.config` already has the module's defaults applied.
    func run(_ check: CheckDefinition) async -> CheckResult
}

extension CheckModule {
    public var descriptor: ModuleDescriptor { Self.descriptor }
}
