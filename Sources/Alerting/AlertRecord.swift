import Foundation

/// An alert as the API lists it.
public struct AlertRecord: Sendable, Equatable {
    public var id: Int64
    public var key: String
    public var rule: String
    public var check: UUID
    public var checkName: String?
    public var target: String?
    public var metric: String
    public var severity: String
    public var state: String
    public var openedAtMs: Int64
    public var resolvedAtMs: Int64?
    public var acknowledgedAtMs: Int64?
    public var acknowledgedBy: String?
    public var value: Double?
    public var summary: String
    public var details: [String: String]
    public var silenced: Bool
}

/// One line of an alert's history.
public struct AlertHistoryEntry: Sendable, Equatable {
    public var atMs: Int64
    public var event: String
    public var detail: String
}
