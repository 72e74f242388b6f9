import Foundation
import NoitConfig
import NoitCore

/// What the console and the REST API do to a running node. Both go through `change`, so a
/// check made at the console is visible over REST at once and the reverse; `write memory`
/// saves whatever both did.
extension NoitNode {
    /// Edits a copy of the running config and keeps it only if the copy validates exactly as
    /// a config file would; then re-plans what changed and journals `C`/`D` records. Writes
    /// one audit line.
    /// - Parameters:
    ///   - who: who asked and from where (`console 127.0.0.1:50514`, `rest 10.0.0.5 cn=ops`).
    ///   - action: what was asked, for the audit line (`attribute period /checks/web`).
    ///   - edit: makes the change on the copy, given the running configuration; returns the
    ///     `old → new` text for the audit line. Throws ``ConfigEditError`` or
    ///     ``ConfigChangeError`` to refuse.
    @discardableResult
    public func change(
        by who: String, _ action: String,
        _ edit: (ConfigDocument, NoitConfiguration) throws -> String?
    ) async throws(ConfigChangeError) -> CheckChanges {
        let outcome: Result<CheckChanges, ConfigChangeError> = await changeGate.run {
            let current = currentConfiguration
            let prepared: Result<(NoitConfiguration, String?), ConfigChangeError> = runningDocument.withLock { running in
                let candidate = running.copy()
                let detail: String?
                do {
                    detail = try edit(candidate, current)
                } catch let error as ConfigEditError {
                    return .failure(.edit(error))
                } catch let error as ConfigChangeError {
                    return .failure(error)
                } catch {
                    return .failure(.edit(ConfigEditError(.invalid, "\(error)")))
                }
                let resolved: NoitConfiguration
                do throws(ConfigError) {
                    resolved = try candidate.resolve(modules: { self.modules.descriptor(named: $0) })
                } catch {
                    return .failure(.rejected(error))
                }
                guard resolved.listeners == current.listeners else {
                    return .failure(.edit(ConfigEditError(.invalid, "listeners cannot be changed on a running node; edit the file and restart")))
                }
                // A credential to change checks must not be one to widen its own rights.
                guard resolved.access == current.access else {
                    return .failure(.edit(ConfigEditError(.invalid, "<access> cannot be changed over REST or the console; edit the config file and reload")))
                }
                running = candidate
                return .success((resolved, detail))
            }
            switch prepared {
            case .failure(let error):
                logger.notice("audit: \(who): \(action): refused: \(error.description)")
                return .failure(error)
            case .success(let (resolved, detail)):
                let changes = await applyUnguarded(resolved)
                logger.notice("audit: \(who): \(action)\(detail.map { ": " + $0 } ?? "")")
                return .success(changes)
            }
        }
        return try outcome.get()
    }

    /// Reads the running config document (under its lock; keep `body` short).
    public func withRunningDocument<Value: Sendable>(_ body: (ConfigDocument) throws -> Value) rethrows -> Value {
        try runningDocument.withLock { try body($0) }
    }

    /// The running config as the XML `write memory` would save.
    public var runningConfigXML: String { runningDocument.withLock { $0.serializedXML() } }

    /// The running config for showing to someone (`GET /config`, `show running-config`):
    /// secrets replaced by ``SecretKeys/placeholder``.
    public var shownRunningConfigXML: String { runningDocument.withLock { $0.redactedXML() } }

    /// The config file as it is on disk now, for showing: secrets replaced as in
    /// ``shownRunningConfigXML``. A file that does not parse is shown as the parse error,
    /// never verbatim (it may hold secrets too).
    public func shownStartupConfigXML() throws -> String {
        try ConfigDocument(contentsOfFile: configPath).redactedXML()
    }

    /// Saves the running config over the config file: temp file, fsync, rename, the previous
    /// file kept as `<file>.bak`. Refused when the text would not load back, so a node can
    /// never save a config it could not start from.
    public func writeMemory(by who: String) async throws(ConfigChangeError) {
        let outcome: Result<Void, ConfigChangeError> = await changeGate.run {
            runningDocument.withLock { running in
                do throws(ConfigError) {
                    let reloaded = try ConfigDocument(xml: running.serializedXML(), sourceName: configPath)
                    _ = try reloaded.resolve(modules: { self.modules.descriptor(named: $0) })
                } catch {
                    return .failure(.rejected(error))
                }
                do {
                    try running.write(toFile: configPath)
                } catch {
                    return .failure(.write("\(error)"))
                }
                return .success(())
            }
        }
        try outcome.get()
        logger.notice("audit: \(who): write memory: \(configPath)")
    }

    /// What `show check` and `GET /checks/show/<uuid>` report; nil for an unknown uuid.
    public func checkDetail(_ uuid: UUID) async -> CheckDetail? {
        guard let configured = currentConfiguration.checks.first(where: { $0.definition.uuid == uuid }) else { return nil }
        return await detail(of: configured, section: withRunningDocument { $0.sectionPath(ofCheck: uuid) })
    }

    /// Every check's detail, in config order, reading the running document once.
    public func checkDetails() async -> [CheckDetail] {
        let configuration = currentConfiguration
        let sections = withRunningDocument { $0.sectionPaths() }
        var details = [CheckDetail]()
        details.reserveCapacity(configuration.checks.count)
        for configured in configuration.checks {
            details.append(await detail(of: configured, section: sections[configured.definition.uuid]))
        }
        return details
    }

    private func detail(of configured: ConfiguredCheck, section: String?) async -> CheckDetail {
        let uuid = configured.definition.uuid
        let entry = checks.entry(uuid)
        let next = configured.definition.disabled ? nil : await scheduler.nextRun(of: uuid)
        return CheckDetail(
            configured: configured, section: section, lastResult: entry?.lastResult,
            lastPlannedAt: entry?.lastPlannedAt, lastRunAt: entry?.lastRunAt, nextRun: next)
    }

    /// Runs a check once, outside the schedule and the journal (`watch`, `POST /checks/test`),
    /// stopping it at its timeout like a scheduled run.
    public func runOnce(_ definition: CheckDefinition) async -> CheckResult {
        let modules = self.modules
        let timeout = definition.timeoutMilliseconds
        return await withTaskGroup(of: CheckResult?.self) { group in
            group.addTask { await modules.run(definition) }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(timeout))
                return Task.isCancelled ? nil : CheckResult.timedOut(afterMilliseconds: timeout)
            }
            var result: CheckResult?
            while result == nil, let next = await group.next() { result = next }
            group.cancelAll()
            return result ?? .failed("cancelled")
        }
    }

    /// Asks the service group to stop the node, exactly as SIGTERM would.
    public func requestShutdown(by who: String) {
        logger.notice("audit: \(who): shutdown")
        shutdownRequest.request()
    }
}
