import Foundation
import Journal
import Logging
import NIOCore
import NoitConfig
import NoitCore
import CheckModules
import Prometheus
import Scheduler
import Synchronization

/// One check node, assembled: configuration, modules, scheduler, journal and metrics.
///
/// Everything that changes checks at run time (SIGHUP now; the console and REST later) goes
/// through `apply(_:)`, which re-plans only what changed and journals `C`/`D` records.
public final class NoitNode: Sendable {
    public let configPath: String
    public let modules: ModuleRegistry
    public let journal: Journal
    public let scheduler: CheckScheduler
    public let checks: CheckStore
    public let results = ResultBroadcast()
    public let metrics: PrometheusCollectorRegistry
    public let logger: Logger
    private let clock: any WallClock
    private let startedAt: ContinuousClock.Instant
    private let configuration: Mutex<NoitConfiguration>
    /// The running config as a document: what the console and REST API edit, and what
    /// `write memory` saves. Only replaced whole, under `changeGate`.
    let runningDocument: Mutex<ConfigDocument>
    /// Serialises every change of the running config (edit, reload) through to the scheduler.
    let changeGate = SerialGate()
    let shutdownRequest = ShutdownRequest()
    private let journalFailures: Counter

    /// Loads and validates the configuration and opens the journal; throws with a precise
    /// message (file, line, element) when either is unusable, so the node refuses to start.
    public init(
        configPath: String,
        eventLoopGroup: any EventLoopGroup,
        clock: any WallClock = SystemWallClock(),
        logger: Logger
    ) throws {
        self.configPath = configPath
        self.logger = logger
        self.clock = clock
        self.startedAt = .now
        let metrics = PrometheusCollectorRegistry()
        self.metrics = metrics
        self.journalFailures = metrics.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "noit", subsystem: "journal", metricName: "append_failures", unitName: "total",
                helpText: "Results that could not be journaled"))

        let statusBox = NodeStatusBox()
        // Checks run as tasks on the scheduler's loop, and modules do their socket work on the
        // same loop: a run then crosses no threads (see `EventLoopTaskExecutor`).
        let checkLoop = eventLoopGroup.next()
        let modules = ModuleRegistry.standard(
            environment: ModuleEnvironment(
                eventLoopGroup: checkLoop, logger: logger,
                nodeStatus: { await statusBox.node?.status() ?? NodeStatus() }))
        self.modules = modules
        self.checks = CheckStore(prepare: { modules.prepare($0) })
        let document = try ConfigDocument(contentsOfFile: configPath)
        let loaded = try document.resolve(modules: { modules.descriptor(named: $0) })
        self.configuration = Mutex(loaded)
        self.runningDocument = Mutex(document)
        self.journal = try Journal(configuration: JournalConfiguration(settings: loaded.journal), logger: logger)

        var factory = PrometheusMetricsFactory(registry: metrics)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(100), .seconds(1),
        ]
        let checks = self.checks
        let journal = self.journal
        let failures = self.journalFailures
        let results = self.results
        self.scheduler = CheckScheduler(
            loop: checkLoop, clock: clock, metricsFactory: factory, logger: logger,
            launch: { run, finish in
                guard let prepared = checks.runnable(run.checkID) else { return .task { .failed("check removed") } }
                if let start = prepared.start { return .started(cancel: start(finish)) }
                return .task(prepared.run)
            },
            record: { run, result, startedMicroseconds in
                let time = Timestamp(millisecondsSinceEpoch: startedMicroseconds / 1000)
                guard let (definition, filtered) = checks.recordResult(result, for: run.checkID, planned: run.planned, at: time) else { return }
                let lines = Record.lines(of: filtered, uuid: definition.uuid, at: time)
                do {
                    try journal.append(lines)
                } catch {
                    failures.increment()
                    logger.error("journal append failed; result lost", metadata: ["check": "\(definition.uuid.lowercasedString)", "error": "\(error)"])
                }
                results.publish(.init(definition: definition, result: filtered, time: time))
            })
        statusBox.node = self
    }

    public var currentConfiguration: NoitConfiguration { configuration.withLock { $0 } }

    /// Plans every configured check and journals a `C` record for each.
    public func start() async {
        let configuration = currentConfiguration
        checks.apply(configuration)
        journalDefinitions(configuration.checks.map(\.definition), deleted: [])
        await scheduler.upsert(configuration.checks.map(\.definition.schedulable))
        logger.info("checks planned", metadata: ["count": "\(configuration.checks.count)"])
    }

    /// Re-reads the config file and applies the difference. A config that does not load is
    /// refused as a whole and the running checks stay as they were.
    @discardableResult
    public func reload() async -> Result<CheckChanges, ConfigError> {
        await changeGate.run { () async -> Result<CheckChanges, ConfigError> in
            // Parsed under the lock because the document may not cross isolation domains.
            let loaded: Result<NoitConfiguration, ConfigError> = runningDocument.withLock { running in
                do throws(ConfigError) {
                    let document = try ConfigDocument(contentsOfFile: configPath)
                    let resolved = try document.resolve(modules: { self.modules.descriptor(named: $0) })
                    running = document
                    return .success(resolved)
                } catch {
                    return .failure(error)
                }
            }
            switch loaded {
            case .failure(let error):
                logger.error("config reload refused; keeping the running config", metadata: ["errors": "\(error)"])
                return .failure(error)
            case .success(let configuration):
                return .success(await applyUnguarded(configuration))
            }
        }.map { changes in
            logChanges(changes)
            return changes
        }
    }

    private func logChanges(_ changes: CheckChanges) {
        logger.notice(
            "config reloaded",
            metadata: ["added": "\(changes.added.count)", "changed": "\(changes.changed.count)", "removed": "\(changes.removed.count)"])
    }

    /// Makes `next` the running configuration, touching only the checks that differ.
    public func apply(_ next: NoitConfiguration) async -> CheckChanges {
        await changeGate.run { await applyUnguarded(next) }
    }

    /// `apply` for callers already holding `changeGate`.
    func applyUnguarded(_ next: NoitConfiguration) async -> CheckChanges {
        let previous = configuration.withLock { current in
            let previous = current
            current = next
            return previous
        }
        let changes = next.checkChanges(from: previous)
        checks.apply(next)
        let previousByID = Dictionary(previous.checks.map { ($0.definition.uuid, $0.definition) }, uniquingKeysWith: { a, _ in a })
        journalDefinitions(changes.added + changes.changed, deleted: changes.removed.compactMap { previousByID[$0] })
        if !changes.removed.isEmpty { await scheduler.remove(changes.removed) }
        let upserts = (changes.added + changes.changed).map(\.schedulable)
        if !upserts.isEmpty { await scheduler.upsert(upserts) }
        return changes
    }

    private func journalDefinitions(_ definitions: [CheckDefinition], deleted: [CheckDefinition]) {
        let now = clock.now()
        let lines = definitions.map { $0.checkRecord(at: now).line }
            + deleted.map { Record.delete(timestamp: now, uuid: $0.uuid, name: $0.name).line }
        guard !lines.isEmpty else { return }
        do {
            try journal.append(lines)
        } catch {
            journalFailures.increment()
            logger.error("journal append of check definitions failed", metadata: ["error": "\(error)"])
        }
    }

    public func status() async -> NodeStatus {
        let stats = await scheduler.statistics()
        let journalStats = journal.statistics()
        var status = NodeStatus()
        status.checkCount = stats.checkCount
        status.runsStarted = stats.counters.started
        status.runsSkipped = stats.counters.skippedStillRunning
        status.periodsMissed = stats.counters.missedPeriods
        status.timeouts = stats.counters.timedOut
        status.latenessP50Microseconds = stats.latenessP50Microseconds
        status.latenessP99Microseconds = stats.latenessP99Microseconds
        status.latenessMaxMicroseconds = stats.latenessMaxMicroseconds
        status.journalBytes = journalStats.totalBytes
        status.journalRecords = journalStats.lastSequence
        status.uptimeSeconds = Int64((ContinuousClock.now - startedAt).components.seconds)
        return status
    }
}

/// Lets modules built before the node reach it once it exists (selfcheck needs the node).
private final class NodeStatusBox: @unchecked Sendable {
    // Written once during init, before any check can run.
    var node: NoitNode?
}

extension CheckDefinition {
    var schedulable: SchedulableCheck {
        SchedulableCheck(id: uuid, periodMilliseconds: periodMilliseconds, timeoutMilliseconds: timeoutMilliseconds, disabled: disabled)
    }
}

extension JournalConfiguration {
    init(settings: JournalSettings) {
        self.init(
            directory: settings.path, segmentBytes: Int(settings.segmentBytes),
            fsyncIntervalMilliseconds: Int(settings.fsyncIntervalMilliseconds), maxBytes: settings.maxBytes)
    }
}
