/// A snapshot of the node's health, reported by `selfcheck`.
public struct NodeStatus: Sendable, Hashable {
    public var checkCount: Int = 0
    public var runsStarted: UInt64 = 0
    public var runsSkipped: UInt64 = 0
    public var periodsMissed: UInt64 = 0
    public var timeouts: UInt64 = 0
    public var latenessP50Microseconds: UInt64 = 0
    public var latenessP99Microseconds: UInt64 = 0
    public var latenessMaxMicroseconds: UInt64 = 0
    public var journalBytes: Int64 = 0
    public var journalRecords: UInt64 = 0
    public var uptimeSeconds: Int64 = 0
    public var version: String = NoitVersion.current

    public init() {}
}

public enum NoitVersion {
    public static let current = "0.1.0"
}
