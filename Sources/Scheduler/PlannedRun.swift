import Foundation
import NoitCore

/// Identifies one run of one check, so that late completions and timeouts can be told apart.
public struct RunID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var rawValue: UInt64
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
    public static func < (lhs: RunID, rhs: RunID) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { "run#\(rawValue)" }
}

/// A run the machine has decided to start now.
public struct PlannedRun: Hashable, Sendable {
    public var runID: RunID
    public var checkID: UUID
    /// When the run was planned: phase + k * period. Lateness is measured against this.
    public var planned: Timestamp
    /// When the run will be cut off if it has not finished.
    public var deadline: Timestamp

    public init(runID: RunID, checkID: UUID, planned: Timestamp, deadline: Timestamp) {
        self.runID = runID
        self.checkID = checkID
        self.planned = planned
        self.deadline = deadline
    }
}
