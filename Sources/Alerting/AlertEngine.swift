import AlertDelivery
import Detection
import Foundation
import Logging
import NoitCore
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Runs the rules on every committed batch: prepares the series a batch touches (saved state,
/// or history to warm a model up), lets the ``AlertEvaluator`` judge, and makes transitions
/// durable with their outbox rows before the outbox is woken. One task does all of it, in
/// order, so an alert's open and resolve reach PostgreSQL in the order they were decided.
public final class AlertEngine: Service, Sendable {
    enum Event: Sendable {
        case batch(noit: String, records: [Record], arrivalMs: Int64)
        case tick
        case rulesChanged
    }

    let store: AlertStore
    let settings: AlertingSettings
    let outbox: OutboxWorker?
    let logger: Logger
    let now: @Sendable () -> Int64
    let evaluator: Mutex<AlertEvaluator>
    private let events: AsyncStream<Event>
    private let input: AsyncStream<Event>.Continuation
    private let counterState = Mutex(Counters())

    /// What the engine has done, for `/api/alerting` and the benchmark.
    public struct Counters: Sendable, Equatable {
        public var batches = 0
        public var valuesJudged = 0
        public var transitions = 0
        public var queuedBatches = 0
        /// Time from a batch's arrival to its transitions being durable, last batch.
        public var lastLatencyMs: Int64 = 0
        /// Detector judgments, and the CPU time spent judging (the evaluator alone, no I/O).
        public var judgments = 0
        public var judgingNanoseconds: UInt64 = 0
        /// Rules, checks and open alerts are loaded, and stale alerts resolved.
        public var started = false
    }

    public init(store: AlertStore, settings: AlertingSettings, outbox: OutboxWorker?, logger: Logger,
                now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }) {
        self.store = store
        self.settings = settings
        self.outbox = outbox
        self.logger = logger
        self.now = now
        self.evaluator = Mutex(AlertEvaluator(startMs: now()))
        (events, input) = AsyncStream.makeStream(of: Event.self)
    }

    public var counters: Counters { counterState.withLock { $0 } }

    /// A batch is committed: judge it. Never blocks the feed.
    public func committed(noit: String, records: [Record]) {
        counterState.withLock { $0.queuedBatches += 1 }
        input.yield(.batch(noit: noit, records: records, arrivalMs: now()))
    }

    /// Rules were written through the API: reload them.
    public func rulesChanged() { input.yield(.rulesChanged) }

    public func run() async throws {
        var attempts = 0
        while true {
            do {
                try await start()
                break
            } catch {
                attempts += 1
                if attempts == 1 || attempts % 30 == 0 {
                    logger.error("alerting cannot load its rules; retrying", metadata: ["error": "\(String(reflecting: error))"])
                }
                if Task.isShuttingDownGracefully { return }
                try await Task.sleep(for: .seconds(1))
            }
        }
        let ticker = Task { [input, settings] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(min(settings.absenceIntervalMs, 5_000)))
                input.yield(.tick)
            }
        }
        defer { ticker.cancel() }
        var lastSaveMs = now()
        var lastRulesVersion = (try? await store.rulesVersion()) ?? ""
        var lastRulesCheckMs = now()
        // At shutdown the feeds have stopped (they come later in the group); the stream is
        // closed and what it still holds is judged before the engine stops.
        await withGracefulShutdownHandler {
            for await event in self.events {
                switch event {
                case .batch(let noit, let records, let arrival):
                    await self.process(noit: noit, records: records, arrivalMs: arrival)
                case .tick:
                    let current = self.now()
                    let transitions = self.evaluator.withLock { $0.evaluateAbsence(nowMs: current) }
                    await self.persist(transitions, slots: [])
                    // Rules written by another stratcond sharing the database.
                    if current - lastRulesCheckMs >= 5_000 {
                        lastRulesCheckMs = current
                        if let version = try? await self.store.rulesVersion(), version != lastRulesVersion {
                            lastRulesVersion = version
                            await self.reloadRules()
                        }
                    }
                    if current - lastSaveMs >= self.settings.stateSaveIntervalMs {
                        lastSaveMs = current
                        await self.saveChangedSlots()
                    }
                case .rulesChanged:
                    lastRulesVersion = (try? await self.store.rulesVersion()) ?? lastRulesVersion
                    await self.reloadRules()
                }
            }
        } onGracefulShutdown: { [input] in
            input.finish()
        }
        // Whatever was learned since the last save survives the restart.
        await saveChangedSlots()
        let totals = counters
        let perJudgment = totals.judgments == 0 ? 0 : Double(totals.judgingNanoseconds) / Double(totals.judgments)
        logger.notice("alerting statistics", metadata: [
            "batches": "\(totals.batches)", "judgments": "\(totals.judgments)", "transitions": "\(totals.transitions)",
            "judging_seconds": "\(Double(totals.judgingNanoseconds) / 1e9)", "ns_per_judgment": "\(Int(perJudgment))",
            "series": "\(evaluator.withLock { $0.seriesCount })"])
    }

    /// Loads rules (writing stratcon.conf's first), checks and open alerts.
    func start() async throws {
        try await store.replaceConfigRules(settings.rules)
        let rules = try await store.rules()
        let checks = try await store.checks()
        let open = try await store.openAlerts()
        let saved = try await store.slots(Array(open.keys))
        let current = now()
        let transitions = evaluator.withLock { evaluator in
            evaluator.setOpenAlerts(open)
            evaluator.setChecks(checks)
            return evaluator.setRules(rules.compactMap(\.rule), nowMs: current)
                + evaluator.retireStaleAlerts(savedSlots: saved, nowMs: current)
        }
        for stored in rules where stored.rule == nil {
            logger.error("alert rule in the database does not validate; ignored", metadata: ["rule": "\(stored.attributes["name"] ?? "?")", "problem": "\(stored.problem ?? "")"])
        }
        await persist(transitions, slots: [])
        counterState.withLock { $0.started = true }
        logger.info("alerting started", metadata: ["rules": "\(rules.count)", "open_alerts": "\(open.count)", "hooks": "\(settings.hooks.map(\.name).joined(separator: ","))"])
    }

    private func reloadRules() async {
        do {
            let rules = try await store.rules().compactMap(\.rule)
            let current = now()
            let transitions = evaluator.withLock { $0.setRules(rules, nowMs: current) }
            await persist(transitions, slots: [])
        } catch {
            logger.error("cannot reload alert rules", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    func process(noit: String, records: [Record], arrivalMs: Int64) async {
        // No rule watches anything: only keep the check definitions current, cheaply.
        if evaluator.withLock({ $0.rules.values.allSatisfy { !$0.enabled } }) {
            let definitions = records.filter {
                switch $0 {
                case .check, .delete: true
                case .status, .metric: false
                }
            }
            if !definitions.isEmpty { _ = evaluator.withLock { $0.apply(definitions, noit: noit, arrivalMs: arrivalMs) } }
            counterState.withLock {
                $0.batches += 1
                $0.queuedBatches -= 1
            }
            return
        }
        let (unknown, fresh) = evaluator.withLock { ($0.unknownChecks(in: records), $0.newSeries(in: records)) }
        if !unknown.isEmpty, let found = try? await store.checks(unknown) {
            evaluator.withLock { $0.addChecks(found) }
        }
        if !fresh.isEmpty { await prepare(fresh, before: records) }
        // CPU time of this thread: judging is synchronous (no suspension inside), and wall time
        // would also count the feeds and PostgreSQL competing for the same cores.
        let (applied, judgments, judgingNanoseconds) = evaluator.withLock { evaluator in
            let before = evaluator.judgments
            let started = Self.threadCPUNanoseconds()
            let transitions = evaluator.apply(records, noit: noit, arrivalMs: arrivalMs)
            return (transitions, evaluator.judgments - before, Self.threadCPUNanoseconds() - started)
        }
        // When the value was stored, so a receiver can tell how long paging took.
        let storedAt = RFC3339.string(fromEpochMilliseconds: arrivalMs)
        let transitions = applied.map { transition in
            var transition = transition
            transition.details["stored_at"] = storedAt
            return transition
        }
        // One state per series, even when a batch both opened and resolved its alert.
        let keys = Array(Set(transitions.map(\.key))).sorted()
        let slots = keys.isEmpty ? [] : evaluator.withLock { evaluator in
            keys.compactMap { key in evaluator.slot(for: key).map { (key: key, slot: $0) } }
        }
        await persist(transitions, slots: slots)
        let latency = now() - arrivalMs
        counterState.withLock {
            $0.batches += 1
            $0.queuedBatches -= 1
            $0.valuesJudged += records.count
            $0.transitions += transitions.count
            $0.lastLatencyMs = latency
            $0.judgments += judgments
            $0.judgingNanoseconds += judgingNanoseconds
        }
    }

    /// Gives new series their saved state, or replays stored history into a fresh model, so
    /// neither a restart nor a new rule starts from nothing.
    private func prepare(_ keys: [SeriesKey], before records: [Record]) async {
        let saved = (try? await store.slots(keys)) ?? [:]
        let firstMs = records.map(\.timestamp.millisecondsSinceEpoch).min() ?? now()
        for key in keys {
            if let slot = saved[key] {
                evaluator.withLock { $0.install(slot, for: key) }
                continue
            }
            guard var slot = evaluator.withLock({ $0.freshSlot(for: key) }) else { continue }
            if slot.detector.wantsHistory, let history = try? await store.history(for: key, detector: slot.detector, beforeMs: firstMs), !history.isEmpty {
                slot.detector.learn(history)
                slot.lastJudgedMs = history.last!.timeMs
            }
            evaluator.withLock { $0.install(slot, for: key) }
        }
    }

    /// Writes transitions until it succeeds: an alert decided is never lost to an outage
    /// (the engine waits, and feeds cannot commit meanwhile either).
    private func persist(_ transitions: [AlertTransition], slots: [(key: SeriesKey, slot: SeriesSlot)]) async {
        guard !transitions.isEmpty || !slots.isEmpty else { return }
        let context = AlertStore.NotificationContext(hooks: settings.hooks.map(\.name), uiBaseURL: settings.uiBaseURL)
        var failures = 0
        while true {
            do {
                let queued = try await store.record(transitions, slots: slots, context: context, nowMs: now())
                for transition in transitions {
                    logger.notice("alert \(transition.action == .open ? "opened" : "resolved")", metadata: [
                        "key": "\(transition.key.alertKey)", "severity": "\(transition.severity.rawValue)", "summary": "\(transition.summary)"])
                }
                if queued > 0 { outbox?.notificationsQueued() }
                return
            } catch {
                failures += 1
                // A statement the server refuses will be refused again: after a few tries the
                // batch's transitions are logged and dropped rather than stopping all alerting.
                // An unreachable server is waited for as long as it takes.
                let refused = (error as? PSQLError)?.serverInfo != nil
                if failures == 1 || failures % 30 == 0 || (refused && failures >= 5) {
                    logger.error("cannot record alert transitions; retrying", metadata: ["error": "\(String(reflecting: error))", "attempts": "\(failures)"])
                }
                if refused && failures >= 5 {
                    for transition in transitions {
                        logger.critical("alert transition LOST: the database refused it", metadata: [
                            "key": "\(transition.key.alertKey)", "action": "\(transition.action.rawValue)", "summary": "\(transition.summary)"])
                    }
                    return
                }
                if Task.isShuttingDownGracefully && failures >= 3 { return }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    static func threadCPUNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    private func saveChangedSlots() async {
        let slots = evaluator.withLock { $0.takeChangedSlots() }
        do {
            try await store.saveSlots(slots)
        } catch {
            logger.warning("cannot save detector state; will try again", metadata: ["error": "\(String(reflecting: error))", "series": "\(slots.count)"])
        }
    }

    // MARK: - For the API

    public struct SeriesView: Sendable {
        public var key: SeriesKey
        public var kind: AlertRule.Kind?
        public var condition: DetectorCondition?
        public var summary: String?
        public var open: Bool
    }

    public func series(of check: UUID) -> [SeriesView] {
        evaluator.withLock { evaluator in
            evaluator.slots(of: check).map { entry in
                SeriesView(key: entry.key, kind: evaluator.rules[entry.key.rule]?.kind, condition: entry.slot.lastCondition,
                           summary: entry.slot.lastSummary, open: evaluator.open[entry.key] != nil)
            }
        }
    }

    /// Anomaly bands and trend lines of a check's metric at `times`, for graphs.
    public func bands(check: UUID, metric: String, times: [Int64]) -> [(rule: String, band: [DetectorBand?]?, trend: TrendLine?, level: Double?)] {
        evaluator.withLock { evaluator in
            evaluator.slots(of: check).filter { $0.key.metric == metric }.compactMap { entry in
                switch entry.slot.detector {
                case .anomaly:
                    return (entry.key.rule, times.map { entry.slot.detector.band(atMs: $0) }, nil, nil)
                case .forecast:
                    return (entry.key.rule, nil, entry.slot.detector.trendLine, evaluator.rules[entry.key.rule]?.level)
                default:
                    return nil
                }
            }
        }
    }
}
