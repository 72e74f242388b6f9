import NoitCore

/// ICMP echo (ping) to an IPv4 or IPv6 target: `count` requests `interval` ms apart, then the
/// share of replies and their round trips (see `PingSummary` for the result's rules).
///
/// All checks share one ICMP socket per address family (`PingEngines.shared`). The run ends
/// when every request has its reply, or shortly before the check's timeout (a tenth of it, at
/// most 250 ms, is kept so that the result is recorded rather than a timeout); requests that
/// would go out after that point are not sent and not counted.
public struct PingICMPModule: CheckModule {
    public static let descriptor = ModuleDescriptor(
        name: "ping_icmp",
        summary: "ICMP echo to the target: share of replies and round-trip times in seconds.",
        parameters: [
            ModuleParameter("count", default: "5", allowed: "[1-9][0-9]{0,3}", help: "echo requests to send (1-9999)"),
            ModuleParameter(
                "interval", default: "2000", allowed: AllowedPattern.unsignedInteger,
                help: "milliseconds between requests"),
            ModuleParameter(
                "avail_needed", default: "100", allowed: "(100|[1-9]?[0-9])",
                help: "percent of replies needed for a good state (0-100)"),
            ModuleParameter(
                "size", default: "56", allowed: AllowedPattern.unsignedInteger,
                help: "payload bytes per request (0-\(PingICMPPacket.maximumPayload))"),
        ])

    private let engines: PingEngines
    private let clock: any MonotonicClock

    public init(environment: ModuleEnvironment) {
        self.init(engines: .shared)
    }

    init(engines: PingEngines, clock: any MonotonicClock = ContinuousClock()) {
        self.engines = engines
        self.clock = clock
    }

    public func run(_ check: CheckDefinition) async -> CheckResult {
        let start = clock.now
        func elapsed() -> Int64 { Int64((clock.now - start).milliseconds.rounded()) }

        let count = check.intConfig("count") ?? 5
        let interval = check.intConfig("interval") ?? 2000
        let needed = Double(check.intConfig("avail_needed") ?? 100)
        let size = check.intConfig("size") ?? 56
        guard (1...9999).contains(count) else { return .failed("count must be between 1 and 9999") }
        guard (0...PingICMPPacket.maximumPayload).contains(size) else {
            return .failed("size must be between 0 and \(PingICMPPacket.maximumPayload)")
        }

        let target: PingTarget
        do {
            target = try await PingTarget.resolve(check.target)
        } catch {
            return .failed("cannot resolve \(check.target): \(error)", durationMilliseconds: elapsed())
        }
        let engine: PingEngine
        switch engines.engine(for: target.family) {
        case .success(let opened): engine = opened
        case .failure(let failure): return .failed(failure.description, durationMilliseconds: elapsed())
        }

        let timeout = max(1, check.timeoutMilliseconds)
        let replyDeadline = start + .milliseconds(timeout - min(timeout / 10, 250))
        let session = PingSession(count: count)
        var sequences = [UInt16]()
        for index in 0..<count {
            if index > 0 {
                let next = min(start + .milliseconds(Int64(interval) * Int64(index)), replyDeadline)
                do { try await clock.sleep(until: next, tolerance: nil) } catch { break }
            }
            if Task.isCancelled || clock.now >= replyDeadline { break }
            let payload = PingICMPPacket.payload(token: UInt64.random(in: 0...UInt64.max), size: size)
            guard let sequence = engine.register(session: session, index: index, target: target, payload: payload) else {
                session.markSendFailed(index, reason: "no free ICMP sequence number")
                continue
            }
            sequences.append(sequence)
            let packet = PingICMPPacket.echoRequest(
                family: target.family, identifier: engine.identifier, sequence: sequence, payload: payload)
            // Real time, like the engine's stamp on the reply, whatever clock paces the run.
            session.markSent(index, at: .now)
            if let error = engine.send(packet, to: target) {
                session.markSendFailed(index, reason: "send failed: \(error)")
            }
        }
        session.finishSending()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await session.allReplied() }
            group.addTask { [clock] in try? await clock.sleep(until: replyDeadline, tolerance: nil) }
            await group.next()
            group.cancelAll()
        }
        for sequence in sequences { engine.unregister(sequence: sequence, target: target) }
        if Task.isCancelled { return .timedOut(afterMilliseconds: elapsed()) }

        let (sent, roundTrips, sendError) = session.snapshot
        let summary = PingSummary(sent: sent, roundTrips: roundTrips, availableNeeded: needed, sendError: sendError)
        return summary.result(durationMilliseconds: elapsed())
    }
}
