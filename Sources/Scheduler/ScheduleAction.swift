import Foundation
import NoitCore

/// What the I/O side must do after feeding an event to the `ScheduleMachine`.
public enum ScheduleAction: Hashable, Sendable {
    /// Start this run now.
    case start(PlannedRun)
    /// The run reached its deadline: cancel it and record it as unavailable/bad, status "timeout".
    case timedOut(PlannedRun)
    /// The run's check was removed or changed while it ran: cancel it and record nothing.
    case abandon(PlannedRun)
    /// The check was due while its previous run was still going; that period is skipped.
    case skippedStillRunning(checkID: UUID, planned: Timestamp)
    /// The node fell behind by whole periods (a stall); they are skipped, never fired in a burst.
    case missedPeriods(checkID: UUID, count: Int64)
}

/// Why a finished run's result should or should not be recorded.
public enum RunCompletion: Hashable, Sendable {
    /// Record the result: the run was still current.
    case record(PlannedRun)
    /// Drop the result: the run already timed out, or its check is gone or changed.
    case discard
}
