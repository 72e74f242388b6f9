import Foundation

/// A repeating pattern stored as one value per hour slot, read by linear interpolation between
/// slot centres so the learned curve has no steps at hour boundaries.
///
/// Used with 24 slots for the daily pattern and 168 for the weekly one. Because a week is a whole
/// number of days, a weekly slot `h + 24 * d` covers the same hour of day as daily slot `h` and
/// both are interpolated with the same fraction at any instant.
struct SeasonalProfile: Sendable, Equatable, Codable {
    static let slotMs: Int64 = 3_600_000

    /// Offset of each slot from the baseline level.
    var values: [Double]
    /// Updates each slot has received, capped; early updates use a running-mean rate so the
    /// first period is learned fully instead of creeping towards it.
    var visits: [Int]
    /// Slots never updated; kept so `isComplete` is O(1) on the per-value path.
    private(set) var unvisitedSlots: Int

    init(slots: Int) {
        values = Array(repeating: 0, count: slots)
        visits = Array(repeating: 0, count: slots)
        unvisitedSlots = slots
    }

    var slotCount: Int { values.count }
    var periodMs: Int64 { Int64(values.count) * Self.slotMs }

    /// The two slots around an instant and the weight of the second.
    struct Position: Sendable, Equatable {
        var first: Int
        var second: Int
        var fraction: Double
    }

    func position(atMs timeMs: Int64) -> Position {
        let period = periodMs
        var phase = timeMs % period
        if phase < 0 { phase += period }
        // Slot centres sit at half hours, so shift by half a slot before splitting.
        let x = Double(phase) / Double(Self.slotMs) - 0.5
        let floorX = x.rounded(.down)
        var first = Int(floorX)
        if first < 0 { first += slotCount }
        return Position(first: first, second: (first + 1) % slotCount, fraction: x - floorX)
    }

    func value(at position: Position) -> Double {
        values[position.first] * (1 - position.fraction) + values[position.second] * position.fraction
    }

    /// Moves the two slots around `position` towards explaining `residual` and returns how much
    /// the interpolated value at `position` changed, so the caller can pass on what is left.
    mutating func learn(_ residual: Double, at position: Position, rate: Double, visitCap: Int) -> Double {
        let w2 = position.fraction
        let w1 = 1 - w2
        let r1 = max(rate, 1 / Double(visits[position.first] + 1))
        let r2 = max(rate, 1 / Double(visits[position.second] + 1))
        values[position.first] += r1 * w1 * residual
        values[position.second] += r2 * w2 * residual
        // Only the nearer slot counts a visit, so each slot counts about one visit per bucket
        // spent in its hour.
        let nearer = w1 >= w2 ? position.first : position.second
        if visits[nearer] == 0 { unvisitedSlots -= 1 }
        if visits[nearer] < visitCap { visits[nearer] += 1 }
        return (r1 * w1 * w1 + r2 * w2 * w2) * residual
    }

    /// Whether every slot has been updated at least once.
    var isComplete: Bool { unvisitedSlots == 0 }

    private enum CodingKeys: String, CodingKey { case values, visits }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        values = try container.decode([Double].self, forKey: .values)
        visits = try container.decode([Int].self, forKey: .visits)
        guard !values.isEmpty, values.count == visits.count else {
            throw DecodingError.dataCorruptedError(
                forKey: .visits, in: container, debugDescription: "seasonal profile values and visits differ in length")
        }
        unvisitedSlots = visits.count { $0 == 0 }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(values, forKey: .values)
        try container.encode(visits, forKey: .visits)
    }
}
