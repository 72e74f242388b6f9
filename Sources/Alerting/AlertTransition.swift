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
}
