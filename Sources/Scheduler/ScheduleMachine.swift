import Foundation
import HeapModule
import NoitCore

/// The check schedule as a pure state machine: it never reads a clock and never sleeps.
///
/// Every event carries `now`; every method returns the actions the I/O side must perform, and
/// `nextWakeUp` says when `tick(now:)` must be called next. Runs are placed on a phase within
/// min(period, 60 s) and then happen at phase + k·period forever, so there is no drift: lateness
/// of one run never moves the next.
public struct ScheduleMachine: Sendable {
    public struct Configuration: Hashable, Sendable {
        /// Width of a load slot; the original used 20 ms.
        public var slotMilliseconds: Int64 = 20
        /// Seed of the generator that picks the offset inside a slot; fixed in tests.
        public var randomSeed: UInt64 = 0x9E37_79B9_7F4A_7C15

        public init(slotMilliseconds: Int64 = 20, randomSeed: UInt64 = 0x9E37_79B9_7F4A_7C15) {
            self.slotMilliseconds = slotMilliseconds
            self.randomSeed = randomSeed
        }
    }

    /// Counters since the machine was created.
    public struct Counters: Hashable, Sendable {
        public var started: UInt64 = 0
        public var completed: UInt64 = 0
        public var timedOut: UInt64 = 0
        public var skippedStillRunning: UInt64 = 0
        public var missedPeriods: UInt64 = 0
        public var abandoned: UInt64 = 0
    }

    struct Entry: Sendable {
        var check: SchedulableCheck
        /// Offset of the runs within the period (or within the minute, for periods above 60 s).
        var phase: Int64
        var nextDue: Timestamp?
        /// Bumped on every re-plan so that stale heap entries are ignored when popped.
        var generation: UInt64
        var running: PlannedRun?
        /// The running one already hit its deadline and was recorded as a timeout. It still
        /// occupies the check until the module returns, so a check never overlaps itself.
        var runTimedOut = false
    }

    enum WakeKind: Hashable, Sendable {
        case due(generation: UInt64)
        case deadline(RunID)
    }

    struct Wake: Comparable, Sendable {
        var at: Timestamp
        var sequence: UInt64
        var checkID: UUID
        var kind: WakeKind

        static func < (lhs: Wake, rhs: Wake) -> Bool {
            (lhs.at, lhs.sequence) < (rhs.at, rhs.sequence)
        }
        static func == (lhs: Wake, rhs: Wake) -> Bool {
            lhs.at == rhs.at && lhs.sequence == rhs.sequence
        }
    }

    public let configuration: Configuration
    private var entries: [UUID: Entry] = [:]
    private var wakes = Heap<Wake>()
    private var wakeSequence: UInt64 = 0
    private var nextRunNumber: UInt64 = 0
    private var generator: SplitMix64
    private(set) public var slots: SlotLoadMap
    private(set) public var counters = Counters()
    /// While draining no new runs start; deadlines still fire so that in-flight runs end.
    private(set) public var isDraining = false

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        self.generator = SplitMix64(seed: configuration.randomSeed)
        self.slots = SlotLoadMap(slotMilliseconds: configuration.slotMilliseconds)
    }

    // MARK: Queries

    public var checkCount: Int { entries.count }
    public func contains(_ id: UUID) -> Bool { entries[id] != nil }
    public func nextRun(of id: UUID) -> Timestamp? { entries[id]?.nextDue }
    public func phase(of id: UUID) -> Int64? { entries[id]?.phase }
    public func currentRun(of id: UUID) -> PlannedRun? { entries[id]?.running }

    /// When `tick(now:)` must next be called; nil when nothing is planned.
    public var nextWakeUp: Timestamp? {
        mutating get {
            discardStaleWakes()
            return wakes.min?.at
        }
    }

    // MARK: Events

    /// Adds a check, or re-plans it if the id is known (same as `update`).
    public mutating func add(_ check: SchedulableCheck, now: Timestamp) -> [ScheduleAction] {
        if entries[check.id] != nil { return update(check, now: now) }
        var entry = Entry(check: check, phase: 0, nextDue: nil, generation: 0, running: nil)
        if !check.disabled { place(&entry, now: now) }
        entries[check.id] = entry
        return []
    }

    /// Applies a changed definition. The phase is kept when the period is unchanged, so a config
    /// edit does not move a check's runs; a run in flight is left to finish under its old deadline.
    public mutating func update(_ check: SchedulableCheck, now: Timestamp) -> [ScheduleAction] {
        guard var entry = entries[check.id] else { return add(check, now: now) }
        let old = entry.check
        entry.check = check
        entry.generation &+= 1
        if old.periodMilliseconds != check.periodMilliseconds || old.disabled != check.disabled {
            if !old.disabled { slots.remove(phase: entry.phase, period: old.periodMilliseconds) }
            entry.nextDue = nil
            if !check.disabled { place(&entry, now: now) }
        } else if !check.disabled {
            // Same timing: keep the phase, but the stale heap entry must be replaced.
            entry.nextDue = firstDue(phase: entry.phase, period: check.periodMilliseconds, notBefore: now)
            pushDue(&entry)
        }
        entries[check.id] = entry
        return []
    }

    /// Removes a check; a run in flight is abandoned (its result is not recorded).
    public mutating func remove(_ id: UUID, now: Timestamp) -> [ScheduleAction] {
        guard let entry = entries.removeValue(forKey: id) else { return [] }
        if !entry.check.disabled { slots.remove(phase: entry.phase, period: entry.check.periodMilliseconds) }
        if let run = entry.running {
            counters.abandoned += 1
            return [.abandon(run)]
        }
        return []
    }

    /// Processes everything due at or before `now`: starts, skips, misses and timeouts.
    public mutating func tick(now: Timestamp) -> [ScheduleAction] {
        var actions = [ScheduleAction]()
        while let wake = wakes.min, wake.at <= now {
            _ = wakes.popMin()
            guard var entry = entries[wake.checkID] else { continue }
            switch wake.kind {
            case .deadline(let runID):
                guard let run = entry.running, run.runID == runID, !entry.runTimedOut else { continue }
                entry.runTimedOut = true
                entries[wake.checkID] = entry
                counters.timedOut += 1
                actions.append(.timedOut(run))
            case .due(let generation):
                guard generation == entry.generation, let due = entry.nextDue, !isDraining else { continue }
                let period = entry.check.periodMilliseconds
                let missed = (now - due) / period
                let planned = due + missed * period
                if missed > 0 {
                    counters.missedPeriods += UInt64(missed)
                    actions.append(.missedPeriods(checkID: entry.check.id, count: missed))
                }
                if entry.running != nil {
                    counters.skippedStillRunning += 1
                    actions.append(.skippedStillRunning(checkID: entry.check.id, planned: planned))
                } else {
                    nextRunNumber += 1
                    let run = PlannedRun(
                        runID: RunID(nextRunNumber), checkID: entry.check.id, planned: planned,
                        deadline: now + entry.check.timeoutMilliseconds)
                    entry.running = run
                    entry.runTimedOut = false
                    counters.started += 1
                    push(Wake(at: run.deadline, sequence: 0, checkID: entry.check.id, kind: .deadline(run.runID)))
                    actions.append(.start(run))
                }
                entry.nextDue = planned + period
                pushDue(&entry)
                entries[wake.checkID] = entry
            }
        }
        return actions
    }

    /// A run's module returned (or gave up after cancellation). Its result counts only if the
    /// run is still current and did not already time out.
    public mutating func runFinished(_ runID: RunID, checkID: UUID) -> RunCompletion {
        guard var entry = entries[checkID], let run = entry.running, run.runID == runID else { return .discard }
        let timedOut = entry.runTimedOut
        entry.running = nil
        entry.runTimedOut = false
        entries[checkID] = entry
        if timedOut { return .discard }
        counters.completed += 1
        return .record(run)
    }

    /// Runs whose module has not returned yet, including ones already recorded as timed out.
    public var occupiedCount: Int { entries.values.reduce(0) { $0 + ($1.running == nil ? 0 : 1) } }

    /// Moves runs planned before `now` that never started to their next slot on the plan. For
    /// checks loaded before the scheduler began ticking: without this their first runs would all
    /// fire late, in one burst, the moment it starts. Not counted as missed.
    public mutating func skipOverdueFirstRuns(now: Timestamp) {
        for id in Array(entries.keys) {
            guard var entry = entries[id], entry.running == nil, let due = entry.nextDue, due < now else { continue }
            let period = entry.check.periodMilliseconds
            let periods = (now - due + period - 1) / period
            entry.nextDue = due + periods * period
            entry.generation &+= 1
            pushDue(&entry)
            entries[id] = entry
        }
    }

    /// Stops starting runs (graceful shutdown); returns nothing to do, deadlines keep firing.
    public mutating func beginDraining() {
        isDraining = true
    }

    // MARK: Placement

    private mutating func place(_ entry: inout Entry, now: Timestamp) {
        let period = entry.check.periodMilliseconds
        let slotStart = slots.leastLoadedSlotStart(period: period)
        let window = min(period, SlotLoadMap.minuteMilliseconds)
        let width = min(configuration.slotMilliseconds, window - slotStart)
        let jitter = width > 1 ? Int64(generator.next() % UInt64(width)) : 0
        entry.phase = slotStart + jitter
        slots.add(phase: entry.phase, period: period)
        entry.nextDue = firstDue(phase: entry.phase, period: period, notBefore: now)
        pushDue(&entry)
    }

    /// The first run time at or after `now`. Periods up to a minute are aligned to the epoch
    /// (t ≡ phase mod period); longer ones start in the next minute at their phase.
    private func firstDue(phase: Int64, period: Int64, notBefore now: Timestamp) -> Timestamp {
        let cycle = min(period, SlotLoadMap.minuteMilliseconds)
        let t = now.millisecondsSinceEpoch
        let base = t - floorMod(t, cycle)
        var candidate = base + phase
        if candidate < t { candidate += cycle }
        return Timestamp(millisecondsSinceEpoch: candidate)
    }

    private mutating func pushDue(_ entry: inout Entry) {
        guard let due = entry.nextDue else { return }
        push(Wake(at: due, sequence: 0, checkID: entry.check.id, kind: .due(generation: entry.generation)))
    }

    private mutating func push(_ wake: Wake) {
        var wake = wake
        wakeSequence += 1
        wake.sequence = wakeSequence
        wakes.insert(wake)
    }

    private mutating func discardStaleWakes() {
        while let wake = wakes.min {
            guard let entry = entries[wake.checkID] else {
                _ = wakes.popMin()
                continue
            }
            switch wake.kind {
            case .due(let generation) where generation != entry.generation || isDraining:
                _ = wakes.popMin()
            case .deadline(let runID) where entry.running?.runID != runID || entry.runTimedOut:
                _ = wakes.popMin()
            default:
                return
            }
        }
    }
}

private func floorMod(_ a: Int64, _ b: Int64) -> Int64 {
    let r = a % b
    return r < 0 ? r + b : r
}
