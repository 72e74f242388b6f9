import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NoitCore
import Synchronization

/// Connects to a TCP port; optionally reads a banner and matches it, optionally speaks TLS and
/// reports the server certificate.
public struct TCPModule: LoopDrivenCheckModule {
    public static let descriptor = ModuleDescriptor(
        name: "tcp",
        summary: "TCP connect time, optional banner read and match, optional TLS with certificate details.",
        parameters: [
            ModuleParameter("port", required: true, allowed: AllowedPattern.port, help: "TCP port to connect to"),
            ModuleParameter("banner_match", help: "regular expression the first line the server sends must match; implies reading a banner"),
            ModuleParameter("read_banner", default: "false", allowed: AllowedPattern.boolean, help: "read the first line the server sends"),
            ModuleParameter("banner_limit", default: "1024", allowed: AllowedPattern.unsignedInteger, help: "most bytes of banner to read"),
            ModuleParameter("use_ssl", default: "false", allowed: AllowedPattern.boolean, help: "speak TLS after connecting"),
            ModuleParameter("ssl_verify", default: "false", allowed: AllowedPattern.boolean, help: "fail the check when the certificate chain does not verify"),
            ModuleParameter("ca_chain", help: "PEM file of trusted roots for ssl_verify (default: the system store)"),
            ModuleParameter("sni_name", help: "TLS server name (default: the target when it is a host name)"),
        ])

    private let group: any EventLoopGroup
    private let contexts = TLSContextCache()

    public init(environment: ModuleEnvironment) {
        self.group = environment.eventLoopGroup
    }

    public func run(_ check: CheckDefinition) async -> CheckResult {
        await runByStarting(check)
    }

    /// The connection's callbacks on the loop carry the run to its end; no task is involved.
    public func start(_ check: CheckDefinition, completion: @escaping @Sendable (CheckResult) -> Void) -> @Sendable () -> Void {
        switch begin(check) {
        case .finished(let result):
            completion(result)
            return {}
        case .started(let attempt):
            attempt.probe.whenComplete { [self] in
                attempt.connection.cancel()
                completion(finish(attempt))
            }
            return {
                // Record the reason before closing: the close would otherwise report itself first.
                attempt.probe.fail("cancelled")
                attempt.connection.cancel()
            }
        }
    }

    /// A run in flight: what `finish` needs once the probe has its outcome.
    private struct Attempt {
        let probe: TCPProbe
        let connection: ConnectionBox
        let bannerPattern: String?
        let verify: Bool
        let start: ContinuousClock.Instant
    }

    private enum Beginning {
        case finished(CheckResult)
        case started(Attempt)
    }

    private func begin(_ check: CheckDefinition) -> Beginning {
        let start = ContinuousClock.now

        guard let port = check.intConfig("port") else { return .finished(.failed("invalid port")) }
        let bannerPattern = check.config["banner_match"]
        if let bannerPattern, !PatternCache.isValid(bannerPattern) {
            return .finished(.failed("banner_match is not a valid regular expression"))
        }
        let readBanner = bannerPattern != nil || check.boolConfig("read_banner")
        let useTLS = check.boolConfig("use_ssl")
        let verify = check.boolConfig("ssl_verify")

        let sslContext: NIOSSLContext?
        do {
            sslContext = useTLS ? try contexts.context(verify: verify, caChain: check.config["ca_chain"]) : nil
        } catch {
            return .finished(.failed("TLS setup failed: \(error)"))
        }
        // Only TLS needs a server name; parsing the target as an address again is wasted otherwise.
        let serverName = useTLS ? check.config["sni_name"] ?? (check.target.isIPAddressLiteral ? nil : check.target) : nil
        let probe = TCPProbe(
            readBanner: readBanner, bannerLimit: check.intConfig("banner_limit") ?? 1024, useTLS: useTLS)
        let connection = ConnectionBox()
        // The connection is driven by callbacks on its event loop and the run waits only once,
        // for the probe's outcome: each await costs a suspension and a job on the executor.
        // No SO_REUSEADDR: it only matters to bind(2), and a socket that just connects is never
        // bound by us; each option costs a setsockopt and a chain of futures per run.
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.milliseconds(check.timeoutMilliseconds))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        let tls = try NIOSSLClientHandler(context: sslContext, serverHostname: serverName)
                        try channel.pipeline.syncOperations.addHandler(tls)
                    }
                    try channel.pipeline.syncOperations.addHandler(TCPProbeHandler(probe: probe))
                }
            }
        bootstrap.connect(directlyOrResolving: check.target, port: port).whenComplete { result in
            switch result {
            case .success(let channel):
                // Already over (cancelled, or the probe finished): nobody else will close it.
                if !connection.set(channel) { channel.close(promise: nil) }
            case .failure(let error):
                probe.fail(TCPModule.describe(connectError: error))
            }
        }
        return .started(
            Attempt(probe: probe, connection: connection, bannerPattern: bannerPattern, verify: verify, start: start))
    }

    private func finish(_ attempt: Attempt) -> CheckResult {
        let duration = (ContinuousClock.now - attempt.start).milliseconds
        return result(
            of: attempt.probe.completedOutcome, bannerPattern: attempt.bannerPattern, verify: attempt.verify,
            duration: duration)
    }

    private func result(of outcome: TCPProbe.Outcome, bannerPattern: String?, verify: Bool, duration: Double) -> CheckResult {
        var metrics = [Metric]()
        if let connect = outcome.connectMilliseconds { metrics.append(Metric("tt_connect", .double(connect))) }
        if let handshake = outcome.handshakeMilliseconds { metrics.append(Metric("tt_ssl", .double(handshake))) }
        if let first = outcome.firstByteMilliseconds { metrics.append(Metric("tt_firstbyte", .double(first))) }
        metrics.append(Metric("duration", .double(duration)))
        var bannerMatched: Bool?
        if let banner = outcome.banner {
            metrics.append(Metric("banner", .string(banner)))
            if let bannerPattern {
                let matched = PatternCache.containsMatch(bannerPattern, banner)
                bannerMatched = matched
                metrics.append(Metric("banner_match", .string(matched ? "yes" : "no")))
            }
        }
        var certificateExpired = false
        if let certificate = outcome.certificate {
            metrics.append(Metric("cert_subject", .string(certificate.subject)))
            metrics.append(Metric("cert_issuer", .string(certificate.issuer)))
            let endIn = certificate.notValidAfter - Int64(Date().timeIntervalSince1970)
            metrics.append(Metric("cert_end_in", .int64(endIn)))
            metrics.append(Metric("cert_start", .int64(certificate.notValidBefore)))
            certificateExpired = endIn < 0
        }
        let durationMs = Int64(duration.rounded())
        if let failure = outcome.failure {
            // A connection that got through before failing (a TLS error, a closed banner) was available.
            let availability: Availability = outcome.connectMilliseconds == nil ? .unavailable : .available
            return CheckResult(availability: availability, state: .bad, durationMilliseconds: durationMs, status: failure, metrics: metrics)
        }
        if bannerMatched == false {
            return CheckResult(availability: .available, state: .bad, durationMilliseconds: durationMs, status: "banner did not match", metrics: metrics)
        }
        if certificateExpired {
            return CheckResult(availability: .available, state: .bad, durationMilliseconds: durationMs, status: "certificate expired", metrics: metrics)
        }
        let connect = (outcome.connectMilliseconds ?? 0).fixedText(decimals: 3)
        var status = "connected in \(connect) ms"
        if let banner = outcome.banner { status += ", banner: " + String(banner.prefix(80)) }
        return CheckResult(availability: .available, state: .good, durationMilliseconds: durationMs, status: status, metrics: metrics)
    }

    static func describe(connectError error: any Error) -> String {
        if error is ChannelError, case .connectTimeout = error as! ChannelError { return "connect timeout" }
        if let connectionError = error as? NIOConnectionError {
            if connectionError.connectionErrors.isEmpty {
                if connectionError.dnsAError != nil || connectionError.dnsAAAAError != nil {
                    return "cannot resolve \(connectionError.host)"
                }
                return "cannot connect: \(connectionError)"
            }
            return connectionError.connectionErrors.map { describe(connectError: $0.error) }.joined(separator: "; ")
        }
        if let ioError = error as? IOError {
            switch ioError.errnoCode {
            case ECONNREFUSED: return "connection refused"
            case EHOSTUNREACH: return "host unreachable"
            case ENETUNREACH: return "network unreachable"
            case ETIMEDOUT: return "connect timeout"
            default: return "connect failed: \(String(cString: strerror(ioError.errnoCode)))"
            }
        }
        return "connect failed: \(error)"
    }
}

/// Holds the channel so that the end of the run (or its cancellation) closes it, whichever of
/// the connection and the end comes first.
final class ConnectionBox: Sendable {
    private let state = Mutex<(channel: (any Channel)?, cancelled: Bool)>((nil, false))

    /// Stores the channel; false when the run already ended (the caller then closes it).
    func set(_ channel: any Channel) -> Bool {
        state.withLock { state in
            if state.cancelled { return false }
            state.channel = channel
            return true
        }
    }

    func cancel() {
        let channel = state.withLock { state -> (any Channel)? in
            state.cancelled = true
            return state.channel
        }
        channel?.close(promise: nil)
    }
}

extension Duration {
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
