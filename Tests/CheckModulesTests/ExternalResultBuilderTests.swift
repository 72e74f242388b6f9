import NoitCore
import Testing

@testable import CheckModules

@Suite("external: exit codes and output to results, without I/O")
struct ExternalResultBuilderTests {
    func outcome(
        _ termination: ExternalProcess.Termination?, stdout: String = "", stderr: String = "", stopped: Bool = false
    ) -> ExternalProcess.Outcome {
        ExternalProcess.Outcome(
            termination: termination,
            stdout: ExternalCapturedOutput(bytes: Array(stdout.utf8), totalBytes: stdout.utf8.count),
            stderr: ExternalCapturedOutput(bytes: Array(stderr.utf8), totalBytes: stderr.utf8.count),
            stopped: stopped)
    }

    func result(_ outcome: ExternalProcess.Outcome) -> CheckResult {
        ExternalResultBuilder.result(of: outcome, durationMilliseconds: 12.4)
    }

    func metric(_ result: CheckResult, _ name: String) -> MetricValue? {
        result.metrics.first { $0.name == name }?.value
    }

    @Test("exit 0 is available and good, with perfdata, exit_code and duration")
    func ok() {
        let result = result(outcome(.exited(0), stdout: "TCP OK - fine|time=0.5ms;;;0\n"))
        #expect(result.availability == .available)
        #expect(result.state == .good)
        #expect(result.status == "TCP OK - fine")
        #expect(result.durationMilliseconds == 12)
        #expect(metric(result, "time") == .double(0.0005))
        #expect(metric(result, "exit_code") == .int32(0))
        #expect(metric(result, "duration") == .double(12.4))
        #expect(metric(result, "perfdata_errors") == .int32(0))
        #expect(metric(result, "output_bytes") == .int64(29))
    }

    @Test("exit 1 and 2 are available and bad; 3 and anything else are unavailable")
    func exitCodes() {
        for (code, availability) in [(Int32(1), Availability.available), (2, .available), (3, .unavailable), (4, .unavailable), (127, .unavailable)] {
            let result = result(outcome(.exited(code), stdout: "TEXT\n"))
            #expect(result.availability == availability, "exit \(code)")
            #expect(result.state == .bad, "exit \(code)")
            #expect(metric(result, "exit_code") == .int32(code))
        }
        #expect(result(outcome(.exited(2), stdout: "CRITICAL - down\n")).status == "CRITICAL - down")
        #expect(result(outcome(.exited(4), stdout: "weird\n")).status == "exit code 4: weird")
        #expect(result(outcome(.exited(127), stderr: "sh: 1: nope: not found\n")).status == "exit code 127: sh: 1: nope: not found")
    }

    @Test("a plugin killed by a signal is unavailable, with a null exit_code")
    func signalled() {
        let result = result(outcome(.signalled(9), stdout: "partial"))
        #expect(result.availability == .unavailable)
        #expect(result.state == .bad)
        #expect(result.status == "killed by signal 9 (Killed): partial")
        #expect(metric(result, "exit_code") == .null(.int32))
    }

    @Test("a stopped run is a timeout and keeps no metrics")
    func stopped() {
        let result = result(outcome(.signalled(15), stdout: "OK|a=1", stopped: true))
        #expect(result.status == "timeout")
        #expect(result.availability == .unavailable)
        #expect(result.metrics.isEmpty)
    }

    @Test("a lost exit status is unavailable")
    func lost() {
        let result = result(outcome(nil, stdout: "OK"))
        #expect(result.availability == .unavailable)
        #expect(result.status == "exit status lost: OK")
    }

    @Test("stderr stands in for an empty stdout; no output at all says so")
    func statusFallbacks() {
        #expect(result(outcome(.exited(2), stderr: "cannot connect\nmore")).status == "cannot connect")
        #expect(result(outcome(.exited(0))).status == "no output (exit code 0)")
        #expect(result(outcome(.exited(3))).status == "no output (exit code 3, UNKNOWN)")
    }

    @Test("duplicate labels and labels clashing with built-in metrics are counted as errors")
    func collisions() {
        let result = result(outcome(.exited(0), stdout: "OK | a=1 a=2 duration=5s exit_code=3 b=x\n"))
        #expect(metric(result, "a") == .double(1))
        #expect(metric(result, "duration") == .double(12.4))
        #expect(metric(result, "exit_code") == .int32(0))
        #expect(metric(result, "perfdata_errors") == .int32(4))
        #expect(result.metrics.filter { $0.name == "a" }.count == 1)
    }

    @Test("invalid UTF-8 and an endless first line give a bounded, valid status")
    func hostileOutput() {
        var bytes: [UInt8] = [0x4F, 0x4B, 0x20, 0xFF, 0xFE, 0xC3]
        bytes += Array(repeating: 0x78, count: 5_000)
        let outcome = ExternalProcess.Outcome(
            termination: .exited(0), stdout: ExternalCapturedOutput(bytes: bytes, totalBytes: 1_000_000),
            stderr: ExternalCapturedOutput(), stopped: false)
        let result = result(outcome)
        #expect(result.state == .good)
        #expect(result.status.hasPrefix("OK \u{FFFD}"))
        #expect(result.status.count == ExternalResultBuilder.statusLimit)
        #expect(metric(result, "output_bytes") == .int64(1_000_000))
    }

    @Test("wait statuses decode to exits and signals")
    func waitStatus() {
        #expect(ExternalProcess.termination(fromWaitStatus: 0) == .exited(0))
        #expect(ExternalProcess.termination(fromWaitStatus: 0x0200) == .exited(2))
        #expect(ExternalProcess.termination(fromWaitStatus: 0xFF00) == .exited(255))
        #expect(ExternalProcess.termination(fromWaitStatus: 9) == .signalled(9))
        #expect(ExternalProcess.termination(fromWaitStatus: 0x86) == .signalled(6))
    }
}
