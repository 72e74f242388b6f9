/// The load of the minute cycle: how many check starts fall in each 20 ms slot of a minute.
///
/// A check with period P and phase φ starts at φ, φ+P, φ+2P, ... within every minute (for
/// P ≤ 60 s), so its weight lands in each of those slots; placing a check therefore looks for the
/// phase whose occurrences hit the least-loaded seconds, then slots.
public struct SlotLoadMap: Hashable, Sendable {
    public static let minuteMilliseconds: Int64 = 60_000
    public let slotMilliseconds: Int64
    public var slotsPerSecond: Int { Int(1000 / slotMilliseconds) }
    public var slotCount: Int { Int(Self.minuteMilliseconds / slotMilliseconds) }

    private(set) public var slotLoad: [Int32]
    private(set) public var secondLoad: [Int32]

    public init(slotMilliseconds: Int64 = 20) {
        precondition(slotMilliseconds > 0 && 1000 % slotMilliseconds == 0, "a slot must divide a second")
        self.slotMilliseconds = slotMilliseconds
        self.slotLoad = Array(repeating: 0, count: Int(Self.minuteMilliseconds / slotMilliseconds))
        self.secondLoad = Array(repeating: 0, count: 60)
    }

    /// Offsets within the minute at which a check of this period and phase starts.
    func occurrences(phase: Int64, period: Int64) -> StrideTo<Int64> {
        let count = period >= Self.minuteMilliseconds ? 1 : max(1, Self.minuteMilliseconds / period)
        return stride(from: phase, to: phase + count * period, by: Int(period))
    }

    /// Picks the least-loaded second within min(period, 60 s), then the least-loaded slot in it.
    /// Returns the phase offset (in ms) of the start of that slot.
    public func leastLoadedSlotStart(period: Int64) -> Int64 {
        let window = min(period, Self.minuteMilliseconds)
        let seconds = max(1, Int((window + 999) / 1000))
        var bestSecond = 0
        var bestSecondCost = Int64.max
        for second in 0..<seconds {
            var cost: Int64 = 0
            for offset in occurrences(phase: Int64(second) * 1000, period: period) {
                cost += Int64(secondLoad[Int((offset % Self.minuteMilliseconds) / 1000)])
            }
            if cost < bestSecondCost {
                bestSecondCost = cost
                bestSecond = second
            }
        }
        var bestStart = Int64(bestSecond) * 1000
        var bestSlotCost = Int64.max
        for slot in 0..<slotsPerSecond {
            let start = Int64(bestSecond) * 1000 + Int64(slot) * slotMilliseconds
            guard start < window else { break }
            var cost: Int64 = 0
            for offset in occurrences(phase: start, period: period) {
                cost += Int64(slotLoad[slotIndex(offset)])
            }
            if cost < bestSlotCost {
                bestSlotCost = cost
                bestStart = start
            }
        }
        return bestStart
    }

    public mutating func add(phase: Int64, period: Int64) { adjust(phase: phase, period: period, by: 1) }
    public mutating func remove(phase: Int64, period: Int64) { adjust(phase: phase, period: period, by: -1) }

    private mutating func adjust(phase: Int64, period: Int64, by delta: Int32) {
        for offset in occurrences(phase: phase, period: period) {
            slotLoad[slotIndex(offset)] += delta
            secondLoad[Int((offset % Self.minuteMilliseconds) / 1000)] += delta
        }
    }

    private func slotIndex(_ offset: Int64) -> Int {
        Int((offset % Self.minuteMilliseconds) / slotMilliseconds)
    }
}
