import Foundation

/// What the check list shows and filters by: one word per check from its last status and
/// its age. Stale wins over the others: an old "good" says nothing about now.
enum CheckCondition: String, Sendable {
    case good, bad, unavailable, stale, unknown

    /// A check is stale once its last status is older than two and a half of its observed
    /// intervals (a minute when not yet known), and at least a minute old.
    init(_ status: GraphStore.StatusRow?, now: Date) {
        guard let status else {
            self = .unknown
            return
        }
        let interval = Double(status.intervalMilliseconds ?? 60_000) / 1000
        let age = now.timeIntervalSince(status.time)
        if age > max(2.5 * interval, 60) {
            self = .stale
        } else if status.availability == "U" {
            self = .unavailable
        } else if status.state == "B" {
            self = .bad
        } else {
            self = .good
        }
    }
}
