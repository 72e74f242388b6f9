import AlertDelivery
import Foundation

/// One queued notification to one hook.
public struct OutboxEntry: Sendable, Equatable {
    public var id: Int64
    public var alertID: Int64
    public var key: String
    public var hook: String
    public var action: AlertAction
    public var notification: AlertNotification?
    public var state: String
    public var attempts: Int
    public var createdAtMs: Int64
    public var nextAttemptAtMs: Int64
    public var deliveredAtMs: Int64?
    public var lastStatus: Int?
    public var lastError: String?
}
