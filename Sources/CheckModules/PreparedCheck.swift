import NoitCore

/// A check ready to run: its definition with the module's defaults applied, bound to its module.
///
/// Made once per check and configuration change (see `ModuleRegistry.prepare`), so a run neither
/// rebuilds the config dictionary nor looks the module up by name. The module call is bound
/// into a closure here because its context lives on the heap, made once: a run that went
/// through the registry instead would copy the definition and the module existential into its
/// task frame on every run, and frames past the task's first allocator slab cost a malloc of
/// over a kilobyte per run (see `TCPModule.run`).
public final class PreparedCheck: Sendable {
    public let definition: CheckDefinition
    /// Runs the check once with its module; an unknown module makes a failed result.
    public let run: @Sendable () async -> CheckResult
    /// Starts a run without a task, for a `LoopDrivenCheckModule`: takes the completion and
    /// returns the run's cancel. Nil for other modules.
    public let start: (@Sendable (@escaping @Sendable (CheckResult) -> Void) -> @Sendable () -> Void)?

    init(definition: CheckDefinition, module: (any CheckModule)?) {
        self.definition = definition
        if let module {
            self.run = { await module.run(definition) }
            if let loopDriven = module as? any LoopDrivenCheckModule {
                self.start = { completion in loopDriven.start(definition, completion: completion) }
            } else {
                self.start = nil
            }
        } else {
            let failure = CheckResult.failed("unknown module '\(definition.module)'")
            self.run = { failure }
            self.start = nil
        }
    }
}
