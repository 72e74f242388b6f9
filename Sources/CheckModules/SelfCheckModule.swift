import NoitCore

/// Reports the node's own health: how many checks it runs, how punctually, and its journal.
public struct SelfCheckModule: CheckModule {
    public static let descriptor = ModuleDescriptor(
        name: "selfcheck",
        summary: "The node's own health: checks, runs, skips, timeouts, start lateness, journal, uptime.",
        parameters: [])

    private let environment: ModuleEnvironment

    public init(environment: ModuleEnvironment) {
        self.environment = environment
    }

    public func run(_ check: CheckDefinition) async -> CheckResult {
        let status = await environment.nodeStatus()
        let metrics: [Metric] = [
            Metric("checks", .uint32(UInt32(clamping: status.checkCount))),
            Metric("runs", .uint64(status.runsStarted)),
            Metric("skipped", .uint64(status.runsSkipped)),
            Metric("missed", .uint64(status.periodsMissed)),
            Metric("timeouts", .uint64(status.timeouts)),
            Metric("lateness_p50", .double(Double(status.latenessP50Microseconds) / 1_000_000)),
            Metric("lateness_p99", .double(Double(status.latenessP99Microseconds) / 1_000_000)),
            Metric("lateness_max", .double(Double(status.latenessMaxMicroseconds) / 1_000_000)),
            Metric("journal_bytes", .int64(status.journalBytes)),
            Metric("journal_records", .uint64(status.journalRecords)),
            Metric("uptime", .int64(status.uptimeSeconds)),
            Metric("version", .string(status.version)),
        ]
        return CheckResult(
            availability: .available, state: .good, durationMilliseconds: 0,
            status: "checks=\(status.checkCount) runs=\(status.runsStarted) p99=\(status.latenessP99Microseconds)us",
            metrics: metrics)
    }
}
