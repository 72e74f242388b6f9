import Foundation

/// A maintenance window: while it lasts, alerts it matches open without paging anyone.
public struct AlertSilence: Sendable, Equatable {
    public var id: Int64
    public var rule: String?
    public var check: UUID?
    public var target: GlobPattern?
    public var startsAtMs: Int64
    public var endsAtMs: Int64
    public var comment: String
    public var createdBy: String

    public init(id: Int64 = 0, rule: String?, check: UUID?, target: GlobPattern?, startsAtMs: Int64, endsAtMs: Int64, comment: String, createdBy: String) {
        self.id = id
        self.rule = rule
        self.check = check
        self.target = target
        self.startsAtMs = startsAtMs
        self.endsAtMs = endsAtMs
        self.comment = comment
        self.createdBy = createdBy
    }

    public func isActive(atMs time: Int64) -> Bool { startsAtMs <= time && time < endsAtMs }

    public func matches(rule name: String, check: CheckInfo) -> Bool {
        if let rule, rule != name { return false }
        if let uuid = self.check, uuid != check.uuid { return false }
        if let target, !target.matches(check.target) { return false }
        return true
    }
}
