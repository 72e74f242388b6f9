import NoitConfig
import NoitCore

/// Everything the node knows about one check, for `show check` and `GET /checks/show/<uuid>`.
public struct CheckDetail: Sendable {
    public var configured: ConfiguredCheck
    /// The section of the running config that holds the check (`/checks/web`).
    public var section: String?
    public var lastResult: CheckResult?
    public var lastPlannedAt: Timestamp?
    public var lastRunAt: Timestamp?
    /// Nil when the check is disabled or not planned.
    public var nextRun: Timestamp?

    public var definition: CheckDefinition { configured.definition }

    /// How late the last run started against its plan.
    public var latenessMilliseconds: Int64? {
        guard let lastRunAt, let lastPlannedAt else { return nil }
        return lastRunAt.millisecondsSinceEpoch - lastPlannedAt.millisecondsSinceEpoch
    }
}
