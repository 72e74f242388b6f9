import Foundation
import NoitCore
import Testing

@testable import Scheduler

/// Drives a machine with a fake clock, one millisecond-precise event at a time.
struct Harness {
    var machine = ScheduleMachine()
    var now: Timestamp

    init(now: Int64 = 1_700_000_000_000) {
        self.now = Timestamp(millisecondsSinceEpoch: now)
    }

    /// Advances to the next wake-up (plus `late` ms) and ticks.
    mutating func advance(late: Int64 = 0) -> [ScheduleAction] {
        guard let next = machine.nextWakeUp else { return [] }
        now = max(now, next + late)
        return machine.tick(now: now)
    }

    mutating func advance(to time: Timestamp) -> [ScheduleAction] {
        now = time
        return machine.tick(now: now)
    }

    static func starts(_ actions: [ScheduleAction]) -> [PlannedRun] {
        actions.compactMap { if case .start(let run) = $0 { return run } else { return nil } }
    }
}

@Suite("Runs: no drift, skips, misses, timeouts")
struct ScheduleMachineRunTests {
    let id = UUID()

    @Test("1,000 periods with jittery late ticks never drift")
    func noDriftOverAThousandPeriods() throws {
        var h = Harness()
        _ = h.machine.add(SchedulableCheck(id: id, periodMilliseconds: 10_000, timeoutMilliseconds: 2_000), now: h.now)
        let phase = try #require(h.machine.phase(of: id))
        var rng = SystemRandomNumberGenerator()
        var planned = [Timestamp]()
        while planned.count < 1_000 {
            let late = Int64.random(in: 0...7, using: &rng)
            for action in h.advance(late: late) {
                if case .start(let run) = action {
                    planned.append(run.planned)
                    // Finish the run a little later; that must not move the plan either.
                    h.now = h.now + Int64.random(in: 0...50, using: &rng)
                    #expect(h.machine.runFinished(run.runID, checkID: id) == .record(run))
                }
            }
        }
        for (a, b) in zip(planned, planned.dropFirst()) { #expect(b - a == 10_000) }
        #expect(planned.allSatisfy { $0.millisecondsSinceEpoch % 10_000 == phase })
        #expect(planned.last! - planned.first! == 999 * 10_000)
        #expect(h.machine.counters.started == 1_000 && h.machine.counters.missedPeriods == 0)
    }

    @Test("a check still running when due is skipped and counted, never run twice at once")
    func skipWhenRunning() throws {
        var h = Harness()
        _ = h.machine.add(SchedulableCheck(id: id, periodMilliseconds: 1_000, timeoutMilliseconds: 5_000), now: h.now)
        let first = try #require(Harness.starts(h.advance()).first)
        let second = h.advance()
        #expect(Harness.starts(second).isEmpty)
        #expect(second == [.skippedStillRunning(checkID: id, planned: first.planned + 1_000)])
        #expect(h.machine.counters.skippedStillRunning == 1)
        #expect(h.machine.runFinished(first.runID, checkID: id) == .record(first))
        let third = try #require(Harness.starts(h.advance()).first)
        #expect(third.planned == first.planned + 2_000)
    }

    @Test("a run reaching its timeout is reported once; its late result is discarded")
    func timeout() throws {
        var h = Harness()
        _ = h.machine.add(SchedulableCheck(id: id, periodMilliseconds: 10_000, timeoutMilliseconds: 3_000), now: h.now)
        let run = try #require(Harness.starts(h.advance()).first)
        #expect(run.deadline == h.now + 3_000)
        #expect(h.machine.nextWakeUp == run.deadline)
        #expect(h.advance() == [.timedOut(run)])
        #expect(h.machine.counters.timedOut == 1)
        #expect(h.machine.runFinished(run.runID, checkID: id) == .discard)
        let next = try #require(Harness.starts(h.advance()).first)
        #expect(next.planned == run.planned + 10_000)
        #expect(h.machine.runFinished(next.runID, checkID: id) == .record(next))
    }

    @Test("a timed-out run whose module never returns keeps the check occupied")
    func timedOutButStuck() throws {
        var h = Harness()
        _ = h.machine.add(SchedulableCheck(id: id, periodMilliseconds: 1_000, timeoutMilliseconds: 500), now: h.now)
        let run = try #require(Harness.starts(h.advance()).first)
        #expect(h.advance() == [.timedOut(run)])
        let due = h.advance()
        #expect(due == [.skippedStillRunning(checkID: id, planned: run.planned + 1_000)])
        #expect(h.machine.occupiedCount == 1)
    }

    @Test("a stall of several periods is skipped and counted, then one run, not a burst")
    func missedPeriods() throws {
        var h = Harness()
        _ = h.machine.add(SchedulableCheck(id: id, periodMilliseconds: 1_000, timeoutMilliseconds: 500), now: h.now)
        let first = try #require(Harness.starts(h.advance()).first)
        _ = h.machine.runFinished(first.runID, checkID: id)
        let actions = h.advance(to: first.planned + 5_400)
        #expect(actions == [.missedPeriods(checkID: id, count: 4), .start(Harness.starts(actions)[0])])
        let run = Harness.starts(actions)[0]
        #expect(run.planned == first.planned + 5_000)
        #expect(h.machine.counters.missedPeriods == 4)
        _ = h.machine.runFinished(run.runID, checkID: id)
        #expect(h.machine.nextWakeUp == first.planned + 6_000)
    }

    @Test("periods longer than a minute start within the minute, then every period")
    func longPeriods() throws {
        var h = Harness()
        _ = h.machine.add(SchedulableCheck(id: id, periodMilliseconds: 300_000, timeoutMilliseconds: 10_000), now: h.now)
        let first = try #require(Harness.starts(h.advance()).first)
        #expect(first.planned - Timestamp(millisecondsSinceEpoch: 1_700_000_000_000) < 60_000)
        _ = h.machine.runFinished(first.runID, checkID: id)
        let second = try #require(Harness.starts(h.advance()).first)
        #expect(second.planned - first.planned == 300_000)
    }

    @Test("draining starts nothing new but still fires deadlines")
    func draining() throws {
        var h = Harness()
        let other = UUID()
        _ = h.machine.add(SchedulableCheck(id: id, periodMilliseconds: 1_000, timeoutMilliseconds: 800), now: h.now)
        _ = h.machine.add(SchedulableCheck(id: other, periodMilliseconds: 60_000, timeoutMilliseconds: 800), now: h.now)
        var run: PlannedRun?
        while run == nil { run = Harness.starts(h.advance()).first { $0.checkID == id } }
        h.machine.beginDraining()
        #expect(h.machine.nextWakeUp == run!.deadline)
        #expect(h.advance() == [.timedOut(run!)])
        #expect(h.machine.runFinished(run!.runID, checkID: id) == .discard)
        #expect(h.machine.nextWakeUp == nil)
    }
}

@Suite("Starting late")
struct ScheduleMachineStartTests {
    @Test("checks planned before the scheduler started run at their next slot, not in a burst")
    func overdueFirstRunsMoveToTheirNextSlot() throws {
        var h = Harness()
        let ids = (0..<100).map { _ in UUID() }
        for id in ids {
            _ = h.machine.add(SchedulableCheck(id: id, periodMilliseconds: 1_000, timeoutMilliseconds: 500), now: h.now)
        }
        let phases = ids.map { h.machine.phase(of: $0)! }
        // The scheduler starts ticking 400 ms after the checks were planned.
        h.now = h.now + 400
        h.machine.skipOverdueFirstRuns(now: h.now)
        let actions = h.machine.tick(now: h.now)
        #expect(Harness.starts(actions).count <= ids.filter { h.machine.nextRun(of: $0) == h.now }.count)
        for (id, phase) in zip(ids, phases) {
            let next = try #require(h.machine.nextRun(of: id))
            #expect(next >= h.now)
            #expect(next.millisecondsSinceEpoch % 1_000 == phase)
        }
        #expect(h.machine.counters.missedPeriods == 0)
    }
}
