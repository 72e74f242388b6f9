import Foundation
import Logging
import NIOPosix
import NoitCore
import NoitTestSupport
import Testing

@testable import CheckModules

/// Real ICMP to the loopback addresses only: nothing leaves the machine.
@Suite("ping_icmp: real ICMP on loopback")
struct PingICMPModuleTests {
    let registry = ModuleRegistry([
        PingICMPModule(
            environment: ModuleEnvironment(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: Logger(label: "ping-test")))
    ])

    /// A timeout only a hang reaches (120 s; a starved test process can stall for 20 s): a run
    /// must be judged by what it did, not by the clock.
    func check(_ target: String, timeout: Int64 = 120_000, _ config: [String: String] = ["count": "3", "interval": "100"]) -> CheckDefinition {
        CheckDefinition(
            uuid: UUID(), module: "ping_icmp", target: target, periodMilliseconds: 60_000, timeoutMilliseconds: timeout,
            config: config)
    }

    func metric(_ result: CheckResult, _ name: String) -> MetricValue? {
        result.metrics.first { $0.name == name }?.value
    }

    /// Round trips present, ordered, and in seconds: none longer than the run itself.
    func expectHealthy(_ result: CheckResult, count: Int32 = 3, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(result.availability == .available, "\(result.status)", sourceLocation: sourceLocation)
        #expect(result.state == .good, "\(result.status)", sourceLocation: sourceLocation)
        #expect(metric(result, "count") == .int32(count), sourceLocation: sourceLocation)
        #expect(metric(result, "available") == .double(100), sourceLocation: sourceLocation)
        let minimum = try #require(metric(result, "minimum")?.doubleValue, sourceLocation: sourceLocation)
        let average = try #require(metric(result, "average")?.doubleValue, sourceLocation: sourceLocation)
        let maximum = try #require(metric(result, "maximum")?.doubleValue, sourceLocation: sourceLocation)
        #expect(minimum > 0 && minimum <= average && average <= maximum, sourceLocation: sourceLocation)
        // The duration is rounded to whole milliseconds.
        #expect(maximum <= Double(result.durationMilliseconds + 1) / 1000, "round trips are in seconds", sourceLocation: sourceLocation)
    }

    @Test("127.0.0.1 answers every request")
    func ipv4Loopback() async throws {
        let result = await registry.run(check("127.0.0.1"))
        try expectHealthy(result)
        #expect(result.status.hasPrefix("3/3 replies (100%), rtt min/avg/max "))
        // Three requests 100 ms apart: at least 200 ms, and no waiting for the 120 s timeout
        // (60 s: only a hang crosses it).
        #expect(result.durationMilliseconds >= 200 && result.durationMilliseconds < 60_000)
    }

    @Test("::1 answers every request")
    func ipv6Loopback() async throws {
        let interfaces = (try? String(contentsOfFile: "/proc/net/if_inet6", encoding: .utf8)) ?? ""
        guard interfaces.contains("00000000000000000000000000000001") else {
            Issue.record("::1 is not configured on this machine (no entry in /proc/net/if_inet6): IPv6 ping is untested")
            return
        }
        try expectHealthy(await registry.run(check("::1")))
    }

    @Test("a host name is resolved first")
    func hostName() async throws {
        try expectHealthy(await registry.run(check("localhost")))
    }

    @Test("concurrent checks share the socket and each gets exactly its own replies")
    func concurrentChecks() async throws {
        // Private engines, so that tests running in parallel cannot add pending requests.
        let engines = PingEngines(kinds: [.raw, .datagram])
        defer { engines.shutdown() }
        let module = PingICMPModule(engines: engines)
        let definitions = (0..<12).map { index in
            check(index.isMultiple(of: 2) ? "127.0.0.1" : "::1", ["count": "4", "interval": "20", "size": String(index * 7)])
        }
        let results = await withTaskGroup(of: CheckResult.self) { group in
            for definition in definitions { group.addTask { await module.run(definition) } }
            var results = [CheckResult]()
            for await result in group { results.append(result) }
            return results
        }
        for result in results { try expectHealthy(result, count: 4) }
        for family in [PingICMPPacket.Family.v4, .v6] {
            let engine = try engines.engine(for: family).get()
            #expect(engine.pendingCount == 0, "requests of finished runs must not stay registered")
        }
    }

    @Test("requests that would go out after the reply deadline are not sent")
    func deadlineCutsSending() async throws {
        // The run's time is the test's. Timeout 12 s keeps 250 ms in reserve: the requests at 0
        // and 10 s go; the one at 20 s would fall past the reply deadline, and must neither go
        // nor be waited for.
        let engines = PingEngines(kinds: [.raw, .datagram])
        defer { engines.shutdown() }
        let clock = ManualClock()
        let module = PingICMPModule(engines: engines, clock: clock)
        let start = clock.now
        let run = Task { await module.run(check("127.0.0.1", timeout: 12_000, ["count": "5", "interval": "10000"])) }
        defer { run.cancel() }
        try await eventually { clock.sleeperCount(dueBy: start + .seconds(10)) > 0 }
        clock.advance(by: .seconds(10))
        // The wait for the third request ends at the reply deadline, not at 20 s.
        let replyDeadline = start + .milliseconds(11_750)
        try await eventually { clock.sleeperCount(dueBy: replyDeadline) > 0 }
        // Both replies in before the deadline passes, so both count.
        let engine = try engines.engine(for: .v4).get()
        try await eventually { engine.pendingCount == 0 }
        clock.advance(by: .milliseconds(1_750))
        let result = await run.value
        #expect(metric(result, "count") == .int32(2))
        #expect(metric(result, "available") == .double(100))
        #expect(result.state == .good, "\(result.status)")
        #expect(result.durationMilliseconds == 11_750)
    }

    @Test("cancelling a run returns promptly and leaves nothing registered")
    func cancellation() async throws {
        let engines = PingEngines(kinds: [.raw, .datagram])
        defer { engines.shutdown() }
        let module = PingICMPModule(engines: engines)
        let definition = check("127.0.0.1", timeout: 60_000, ["count": "50", "interval": "1000"])
        let clock = ContinuousClock()
        let start = clock.now
        let task = Task { await module.run(definition) }
        task.cancel()
        let result = await task.value
        #expect(result.status == "timeout")
        // Ignoring the cancellation would take 50 s (50 requests, 1 s apart); 40 s is more than
        // a starved test process stalls (20 s seen).
        #expect(clock.now - start < .seconds(40))
        #expect(try engines.engine(for: .v4).get().pendingCount == 0)
    }

    @Test("an unprivileged datagram socket either works or says exactly which sysctl to set")
    func datagramSocket() async throws {
        let engines = PingEngines(kinds: [.datagram])
        defer { engines.shutdown() }
        let module = PingICMPModule(engines: engines)
        let result = await module.run(check("127.0.0.1"))
        let range = try String(contentsOfFile: "/proc/sys/net/ipv4/ping_group_range", encoding: .utf8)
            .split(whereSeparator: \.isWhitespace).compactMap { Int64($0) }
        let group = Int64(getegid())
        if range.count == 2, range[0] <= group, group <= range[1] {
            try expectHealthy(result)
        } else {
            #expect(result.availability == .unavailable)
            #expect(result.state == .bad)
            #expect(
                result.status
                    == "cannot open ICMP socket: run as root (or with CAP_NET_RAW) or set sysctl "
                    + "net.ipv4.ping_group_range='0 2147483647' (datagram: Permission denied)")
        }
    }

    @Test("a closed engine is replaced by a fresh one on the next run")
    func reopen() async throws {
        let engines = PingEngines(kinds: [.raw])
        defer { engines.shutdown() }
        let module = PingICMPModule(engines: engines)
        try expectHealthy(await module.run(check("127.0.0.1")))
        let first = try engines.engine(for: .v4).get()
        engines.shutdown()
        try expectHealthy(await module.run(check("127.0.0.1")))
        #expect(try engines.engine(for: .v4).get() !== first)
    }

    @Test("ping_icmp declares its parameters and defaults")
    func descriptor() {
        let descriptor = PingICMPModule.descriptor
        #expect(descriptor.problems(in: [:]).isEmpty)
        let defaults = descriptor.applyingDefaults(to: [:])
        #expect(defaults["count"] == "5")
        #expect(defaults["interval"] == "2000")
        #expect(defaults["avail_needed"] == "100")
        #expect(defaults["size"] == "56")
        #expect(descriptor.problems(in: ["count": "0"]).count == 1)
        #expect(descriptor.problems(in: ["avail_needed": "101"]).count == 1)
        #expect(descriptor.problems(in: ["avail_needed": "0"]).isEmpty)
        #expect(descriptor.problems(in: ["interval": "-5"]).count == 1)
        #expect(descriptor.problems(in: ["bogus": "1"]).count == 1)
    }

    @Test("an oversized payload is refused without sending")
    func oversizedPayload() async {
        let result = await registry.run(check("127.0.0.1", ["size": "70000"]))
        #expect(result.status == "size must be between 0 and 65507")
        #expect(result.availability == .unavailable)
    }
}
