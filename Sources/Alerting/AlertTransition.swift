import AlertDelivery
import Foundation

/// An alert to open or resolve, decided by the evaluator and made durable by the store
/// (with its outbox rows) in one transaction.
public struct AlertTransition: Sendable, Equatable {
    public enum Action: String, Sendable { case open, resolve }

    public var action: Action
    public var key: SeriesKey
    public var rule: String
    public var severity: AlertSeverity
    /// Hook names to notify; nil is every hook.
    public var hooks: [String]?
    public var check: CheckInfo
    public var value: Double?
    public var summary: String
    public var details: [String: String]
    /// When it happened: the value's time for detectors, the arrival time for absence.
    public var atMs: Int64

    public init(
        action: Action, key: SeriesKey, rule: String, severity: AlertSeverity, hooks: [String]?, check: CheckInfo, value: Double?,
        summary: String, details: [String: String], atMs: Int64
    ) {
        self.action = action
        self.key = key
        self.rule = rule
        self.severity = severity
        self.hooks = hooks
        self.check = check
        self.value = value
        self.summary = summary
        self.details = details
        self.atMs = atMs
    }
}
