import Foundation
import NoitCore

/// Turns what a plugin did into a check result, following the Nagios plugin convention.
///
/// | exit | meaning  | availability | state |
/// |------|----------|--------------|-------|
/// | 0    | OK       | available    | good  |
/// | 1    | WARNING  | available    | bad   |
/// | 2    | CRITICAL | available    | bad   |
/// | 3    | UNKNOWN  | unavailable  | bad   |
///
/// Any other exit code is treated as UNKNOWN (126 and 127 are a shell's "cannot execute" and
/// "not found"), and so is a plugin killed by a signal. The status is the first line of stdout
/// before `|` (stderr's first line when stdout has none). Metrics: every well-formed perfdata
/// entry under its label (see `ExternalPerfdatum.metricValue` for units), then `exit_code`
/// (int32, null when killed by a signal), `duration` (ms), `perfdata_errors` (int32: entries
/// skipped as malformed, duplicated or clashing with these names) and `output_bytes` (int64:
/// everything written to stdout, including what `output_limit` dropped).
enum ExternalResultBuilder {
    static let reservedMetricNames: Set<String> = ["exit_code", "duration", "perfdata_errors", "output_bytes"]
    /// Longest status kept, in characters; a plugin's first line can be arbitrarily long.
    static let statusLimit = 1024

    static func result(of outcome: ExternalProcess.Outcome, durationMilliseconds duration: Double) -> CheckResult {
        let durationMs = Int64(duration.rounded())
        if outcome.stopped {
            return .timedOut(afterMilliseconds: durationMs)
        }
        let output = ExternalPluginOutput(outcome.stdout.text)
        var metrics = [Metric]()
        var errors = output.perfdata.errors
        var seen = reservedMetricNames
        for entry in output.perfdata.entries {
            guard let value = entry.metricValue, seen.insert(entry.label).inserted else {
                errors += 1
                continue
            }
            metrics.append(Metric(entry.label, value))
        }
        let exitCode: Int32? = if case .exited(let code) = outcome.termination { code } else { nil }
        metrics.append(Metric("exit_code", exitCode.map(MetricValue.int32) ?? .null(.int32)))
        metrics.append(Metric("duration", .double(duration)))
        metrics.append(Metric("perfdata_errors", .int32(Int32(clamping: errors))))
        metrics.append(Metric("output_bytes", .int64(Int64(outcome.stdout.totalBytes))))

        var text = output.status
        if text.isEmpty {
            text = ExternalPluginOutput(outcome.stderr.text).status
        }
        let availability: Availability
        let state: CheckState
        var status: String
        switch outcome.termination {
        case .exited(let code) where (0...2).contains(code):
            availability = .available
            state = code == 0 ? .good : .bad
            status = text.isEmpty ? "no output (exit code \(code))" : text
        case .exited(3):
            availability = .unavailable
            state = .bad
            status = text.isEmpty ? "no output (exit code 3, UNKNOWN)" : text
        case .exited(let code):
            availability = .unavailable
            state = .bad
            status = "exit code \(code)" + (text.isEmpty ? "" : ": " + text)
        case .signalled(let signal):
            availability = .unavailable
            state = .bad
            status = "killed by signal \(signal) (\(String(cString: strsignal(signal))))" + (text.isEmpty ? "" : ": " + text)
        case nil:
            availability = .unavailable
            state = .bad
            status = "exit status lost" + (text.isEmpty ? "" : ": " + text)
        }
        if status.count > statusLimit { status = String(status.prefix(statusLimit)) }
        return CheckResult(
            availability: availability, state: state, durationMilliseconds: durationMs, status: status, metrics: metrics)
    }
}
