/// Shared pending/firing bookkeeping for detectors that apply a `Persistence`.
///
/// Persisted inside each detector's state so that a restart does not forget a breach in progress.
struct BreachTracker: Sendable, Equatable, Codable {
    /// Time of the first breaching value of the current breach.
    var startedMs: Int64?
    /// Breaching values seen in the current breach.
    var count: Int = 0
    var isFiring: Bool = false
    /// Consecutive non-breaching values seen while firing (for detectors that clear gradually).
    var quietCount: Int = 0

    var condition: DetectorCondition {
        if isFiring { return .firing }
        return startedMs == nil ? .normal : .pending
    }

    /// Records one breaching value and returns the resulting condition.
    mutating func recordBreach(atMs timeMs: Int64, persistence: Persistence) -> DetectorCondition {
        if startedMs == nil { startedMs = timeMs }
        // Saturating so a breach that lasts for years cannot overflow.
        if count < Int.max { count += 1 }
        quietCount = 0
        if !isFiring, persistence.isSatisfied(count: count, elapsedMs: timeMs &- (startedMs ?? timeMs)) {
            isFiring = true
        }
        return condition
    }

    /// Ends any breach in progress.
    mutating func clear() {
        self = BreachTracker()
    }

    /// Records a non-breaching value: a pending breach ends at once, a firing one only after
    /// `requiredToClear` consecutive non-breaching values, so a value hovering at the edge does
    /// not open and close alert after alert.
    mutating func recordQuiet(requiredToClear: Int) {
        guard isFiring else { clear(); return }
        quietCount += 1
        if quietCount >= requiredToClear { clear() }
    }
}
