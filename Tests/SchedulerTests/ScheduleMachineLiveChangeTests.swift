import Foundation
import NoitCore
import Testing

@testable import Scheduler

@Suite("Live add, change, disable and delete")
struct ScheduleMachineLiveChangeTests {
    @Test("adding checks at run time leaves the others' plans untouched")
    func addKeepsOthers() {
        var h = Harness()
        let existing = (0..<50).map { _ in UUID() }
        for id in existing {
            _ = h.machine.add(SchedulableCheck(id: id, periodMilliseconds: 5_000, timeoutMilliseconds: 1_000), now: h.now)
        }
        let before = existing.map { h.machine.phase(of: $0) }
        _ = h.advance()
        let added = UUID()
        _ = h.machine.add(SchedulableCheck(id: added, periodMilliseconds: 5_000, timeoutMilliseconds: 1_000), now: h.now)
        #expect(existing.map { h.machine.phase(of: $0) } == before)
        #expect(h.machine.nextRun(of: added)! >= h.now)
        #expect(h.machine.checkCount == 51)
    }

    @Test("changing only the timeout keeps the phase; changing the period re-plans")
    func change() throws {
        var h = Harness()
        let id = UUID()
        _ = h.machine.add(SchedulableCheck(id: id, periodMilliseconds: 10_000, timeoutMilliseconds: 1_000), now: h.now)
        let phase = try #require(h.machine.phase(of: id))
        _ = h.machine.update(SchedulableCheck(id: id, periodMilliseconds: 10_000, timeoutMilliseconds: 2_000), now: h.now)
        #expect(h.machine.phase(of: id) == phase)
        let run = try #require(Harness.starts(h.advance()).first)
        #expect(run.deadline - h.now == 2_000)
        _ = h.machine.runFinished(run.runID, checkID: id)
        _ = h.machine.update(SchedulableCheck(id: id, periodMilliseconds: 7_000, timeoutMilliseconds: 2_000), now: h.now)
        let newPhase = try #require(h.machine.phase(of: id))
        #expect(newPhase < 7_000)
        let next = try #require(Harness.starts(h.advance()).first)
        #expect(next.planned.millisecondsSinceEpoch % 7_000 == newPhase)
        // The slot map holds exactly one check's load after the change.
        #expect(h.machine.slots.slotLoad.reduce(0, +) == Int32(60_000 / 7_000))
    }

    @Test("deleting a check stops its runs; deleting it mid-run abandons the run")
    func delete() throws {
        var h = Harness()
        let id = UUID()
        _ = h.machine.add(SchedulableCheck(id: id, periodMilliseconds: 1_000, timeoutMilliseconds: 500), now: h.now)
        let run = try #require(Harness.starts(h.advance()).first)
        #expect(h.machine.remove(id, now: h.now) == [.abandon(run)])
        #expect(h.machine.runFinished(run.runID, checkID: id) == .discard)
        #expect(h.machine.nextWakeUp == nil)
        #expect(h.machine.slots.slotLoad.allSatisfy { $0 == 0 })
        #expect(h.machine.remove(id, now: h.now).isEmpty)
    }

    @Test("a disabled check does not run until re-enabled")
    func disable() throws {
        var h = Harness()
        let id = UUID()
        _ = h.machine.add(SchedulableCheck(id: id, periodMilliseconds: 1_000, timeoutMilliseconds: 500, disabled: true), now: h.now)
        #expect(h.machine.nextWakeUp == nil)
        #expect(h.machine.contains(id))
        _ = h.machine.update(SchedulableCheck(id: id, periodMilliseconds: 1_000, timeoutMilliseconds: 500), now: h.now)
        let run = try #require(Harness.starts(h.advance()).first)
        _ = h.machine.runFinished(run.runID, checkID: id)
        _ = h.machine.update(SchedulableCheck(id: id, periodMilliseconds: 1_000, timeoutMilliseconds: 500, disabled: true), now: h.now)
        #expect(h.machine.nextWakeUp == nil)
    }

    @Test("many checks added, changed and deleted: exactly the survivors run")
    func churn() {
        var h = Harness()
        var alive = Set<UUID>()
        var all = [UUID]()
        for round in 0..<200 {
            let id = UUID()
            all.append(id)
            alive.insert(id)
            _ = h.machine.add(SchedulableCheck(id: id, periodMilliseconds: 2_000, timeoutMilliseconds: 100), now: h.now)
            if round % 3 == 0, let victim = all.randomElement(), alive.contains(victim) {
                alive.remove(victim)
                _ = h.machine.remove(victim, now: h.now)
            }
            if round % 5 == 0, let changed = alive.randomElement() {
                _ = h.machine.update(SchedulableCheck(id: changed, periodMilliseconds: 3_000, timeoutMilliseconds: 100), now: h.now)
            }
        }
        var seen = Set<UUID>()
        let end = h.now + 6_000
        while let next = h.machine.nextWakeUp, next <= end {
            for run in Harness.starts(h.advance()) {
                seen.insert(run.checkID)
                _ = h.machine.runFinished(run.runID, checkID: run.checkID)
            }
        }
        #expect(seen == alive)
        #expect(h.machine.checkCount == alive.count)
    }
}
