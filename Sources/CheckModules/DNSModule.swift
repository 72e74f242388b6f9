import Logging
import NIOCore
import NoitCore

/// Asks a DNS server one question (UDP, TCP when the answer is truncated) and reports the
/// answers of the asked type, their TTL, the response code and the CNAME chain's end.
public struct DNSModule: CheckModule {
    public static let descriptor = ModuleDescriptor(
        name: "dns",
        summary: "Asks a DNS server one question and reports rcode, answers, TTL, CNAME target and round trip time.",
        parameters: [
            ModuleParameter(
                "nameserver", allowed: #"[0-9A-Za-z.:%_-]+"#,
                help: "IP address or host name of the server to ask (default: the first nameserver line of /etc/resolv.conf, else 127.0.0.1); the check's target is not the server"),
            ModuleParameter("port", default: "53", allowed: AllowedPattern.port, help: "UDP and TCP port of the server"),
            ModuleParameter(
                "rtype", default: "A", allowed: "(?i:A|AAAA|CNAME|MX|NS|TXT|SOA|PTR|SRV)",
                help: "record type to ask for"),
            ModuleParameter("ctype", default: "IN", allowed: "(?i:IN|CH|HS)", help: "record class to ask for"),
            ModuleParameter(
                "query",
                help: "name to look up (default: the check's target, so without query the target is the name and nameserver the server); with rtype PTR an IPv4 or IPv6 address becomes its in-addr.arpa or ip6.arpa name"),
        ])

    private let transport: DNSTransport

    public init(environment: ModuleEnvironment) {
        transport = DNSTransport(group: environment.eventLoopGroup, logger: environment.logger)
    }

    public func run(_ check: CheckDefinition) async -> CheckResult {
        let clock = ContinuousClock()
        let start = clock.now
        func elapsed() -> Int64 { Int64((clock.now - start).milliseconds.rounded()) }

        let configuration: DNSCheckConfiguration
        do {
            configuration = try DNSCheckConfiguration(check: check, defaultNameserver: { DNSResolvConf.defaultNameserver() })
        } catch {
            return .failed(error.message)
        }
        let server: SocketAddress
        do {
            server = try await SocketAddress.resolvedOffLoop(host: configuration.nameserver, port: configuration.port)
        } catch {
            return .failed("cannot resolve nameserver \(configuration.nameserver): \(error)", durationMilliseconds: elapsed())
        }
        let cancellation = DNSCancellation()
        let lookup = await withTaskCancellationHandler {
            await transport.lookup(
                configuration.question, server: server,
                connectTimeout: .milliseconds(max(1, check.timeoutMilliseconds)), cancellation: cancellation)
        } onCancel: {
            cancellation.cancel()
        }
        return Self.result(of: lookup, question: configuration.question, durationMilliseconds: elapsed())
    }
}
