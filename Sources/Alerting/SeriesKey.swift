import Foundation
import NoitCore

/// One thing a rule watches: (rule, check, metric); metric is "" for a check as a whole.
/// Its text form is the alert's stable key and the hooks' dedup key.
public struct SeriesKey: Sendable, Hashable, Comparable {
    public var rule: String
    public var check: UUID
    public var metric: String

    public init(rule: String, check: UUID, metric: String) {
        self.rule = rule
        self.check = check
        self.metric = metric
    }

    public var alertKey: String { "\(rule)|\(check.lowercasedString)|\(metric)" }

    public static func < (lhs: SeriesKey, rhs: SeriesKey) -> Bool { lhs.alertKey < rhs.alertKey }
}
