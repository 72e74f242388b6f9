import Foundation
import NoitCore
import Testing

@testable import Scheduler

@Suite("Spreading first runs over slots")
struct ScheduleMachineSpreadingTests {
    let start = Timestamp(millisecondsSinceEpoch: 1_700_000_000_123)

    /// Loads of the 20 ms slots of one period window, counted from the planned run times.
    func slotLoads(of machine: ScheduleMachine, ids: [UUID], period: Int64) -> [Int] {
        let window = min(period, 60_000)
        var loads = Array(repeating: 0, count: Int(window / 20))
        for id in ids {
            let next = machine.nextRun(of: id)!.millisecondsSinceEpoch
            let offset = ((next % window) + window) % window
            loads[Int(offset / 20)] += 1
        }
        return loads
    }

    @Test("10,000 checks at one period never put more than ceil(N/slots)+1 in a 20 ms slot", arguments: [60_000, 6_000, 30_000] as [Int64])
    func tenThousandChecksSpreadEvenly(period: Int64) {
        var machine = ScheduleMachine()
        let ids = (0..<10_000).map { _ in UUID() }
        for id in ids {
            _ = machine.add(SchedulableCheck(id: id, periodMilliseconds: period, timeoutMilliseconds: 1_000), now: start)
        }
        let loads = slotLoads(of: machine, ids: ids, period: period)
        let bound = (10_000 + loads.count - 1) / loads.count + 1
        #expect(loads.max()! <= bound, "max slot load \(loads.max()!) exceeds \(bound)")
        #expect(loads.reduce(0, +) == 10_000)
        // Every run is planned within one period from now, at or after now.
        for id in ids {
            let next = machine.nextRun(of: id)!
            #expect(next >= start && next - start < period)
        }
    }

    @Test("a check's phase stays inside min(period, 60 s) and its first run is epoch-aligned")
    func phaseWithinWindow() {
        var machine = ScheduleMachine()
        for period in [1_000, 5_000, 60_000, 300_000] as [Int64] {
            let id = UUID()
            _ = machine.add(SchedulableCheck(id: id, periodMilliseconds: period, timeoutMilliseconds: 500), now: start)
            let phase = try! #require(machine.phase(of: id))
            #expect(phase >= 0 && phase < min(period, 60_000))
            let next = machine.nextRun(of: id)!.millisecondsSinceEpoch
            #expect(next % min(period, 60_000) == phase)
        }
    }

    @Test("timing_slots prints 60 rows of 50 slot characters")
    func timingSlotsShape() {
        var machine = ScheduleMachine()
        for _ in 0..<3_100 {
            _ = machine.add(SchedulableCheck(id: UUID(), periodMilliseconds: 60_000, timeoutMilliseconds: 1_000), now: start)
        }
        let rows = machine.slots.timingSlotsText.split(separator: "\n")
        #expect(rows.count == 60)
        #expect(rows.allSatisfy { $0.count == 3 + 50 })
        #expect(rows[0].hasPrefix("00 "))
        // 3,100 checks over 3,000 slots: every slot holds 1 or 2.
        #expect(rows.allSatisfy { $0.dropFirst(3).allSatisfy { $0 == "1" || $0 == "2" } })
    }

    @Test("slot symbols run 0-9, a-z, then !")
    func slotSymbols() {
        var map = SlotLoadMap()
        for _ in 0..<40 { map.add(phase: 0, period: 60_000) }
        for _ in 0..<10 { map.add(phase: 20, period: 60_000) }
        for _ in 0..<35 { map.add(phase: 40, period: 60_000) }
        let first = map.timingSlotsText.split(separator: "\n")[0]
        #expect(first.hasPrefix("00 !az0"))
    }
}
