import Foundation
import NIOCore
import NoitCore

/// Fetches a URL over HTTP/1.1 (optionally TLS) with its own client, so that connect, first
/// byte and total times are the check's own; matches the status code and body, follows
/// redirects, and reports the server certificate.
///
/// The check's target is where the first request connects; the URL's host goes into the
/// `Host` header and TLS server name, so one server behind a shared name can be checked.
///
/// Times are milliseconds from the start of the final request's exchange: `tt_connect` when
/// TCP is up (name resolution included), `tt_firstbyte` when the first response byte arrives;
/// `duration` covers the whole run, redirects included. With verification on, a certificate
/// that fails stops the handshake before any request (or credential) is sent.
public struct HTTPModule: LoopDrivenCheckModule {
    public static let descriptor = ModuleDescriptor(
        name: "http",
        summary: "HTTP(S) fetch: status code and body match, redirects, timings, TLS certificate details.",
        parameters: [
            ModuleParameter("url", required: true, allowed: #"[hH][tT][tT][pP][sS]?://\S+"#, help: "http:// or https:// URL to fetch; the connection goes to the check's target"),
            ModuleParameter("method", default: "GET", allowed: "(GET|HEAD|POST|PUT|DELETE|OPTIONS|PATCH)", help: "request method"),
            ModuleParameter("header_", isPrefix: true, help: "a request header: header_Host=example.com sends 'Host: example.com'"),
            ModuleParameter("payload", help: "request body"),
            ModuleParameter("code", default: "^200$", help: "regular expression the status code must match"),
            ModuleParameter("body", help: "regular expression the response body must match (body_match metric)"),
            ModuleParameter("redirects", default: "0", allowed: AllowedPattern.unsignedInteger, help: "most redirects to follow"),
            ModuleParameter("auth_user", help: "user for HTTP basic authentication"),
            ModuleParameter("auth_password", help: "password for HTTP basic authentication"),
            ModuleParameter("ca_chain", help: "PEM file of trusted roots (default: the system store)"),
            ModuleParameter("insecure", default: "false", allowed: AllowedPattern.boolean, help: "do not verify the server certificate"),
            ModuleParameter("read_limit", default: "1048576", allowed: AllowedPattern.unsignedInteger, help: "most body bytes to read; a longer body is cut and truncated=1"),
            ModuleParameter("sni_name", help: "TLS server name to send and verify (default: the URL's host)"),
        ])

    let group: any EventLoopGroup
    let contexts = HTTPTLSContexts()
    let trustRoots = HTTPTrustRoots()

    public init(environment: ModuleEnvironment) {
        self.group = environment.eventLoopGroup
    }

    public func run(_ check: CheckDefinition) async -> CheckResult {
        await runByStarting(check)
    }

    public func start(_ check: CheckDefinition, completion: @escaping @Sendable (CheckResult) -> Void) -> @Sendable () -> Void {
        let config: HTTPCheckConfig
        do {
            config = try HTTPCheckConfig(check)
        } catch {
            completion(.failed(error.message))
            return {}
        }
        let run = HTTPRun(
            module: self, config: config, request: HTTPRequest(config: config, target: check.target),
            timeoutMilliseconds: check.timeoutMilliseconds, completion: completion)
        run.begin()
        return { run.cancel() }
    }

    /// The run's result from its last exchange. Pure, so the verdict rules are testable alone.
    static func result(
        of outcome: HTTPExchange.Outcome, config: HTTPCheckConfig, redirects: Int, redirectFailure: String?,
        duration: Double
    ) -> CheckResult {
        var metrics = [Metric]()
        metrics.append(Metric("code", outcome.status.map { .string(String($0)) } ?? .null(.string)))
        metrics.append(Metric("bytes", outcome.responseReceived ? .uint64(UInt64(outcome.body.count)) : .null(.uint64)))
        metrics.append(Metric("duration", .double(duration)))
        metrics.append(Metric("tt_connect", outcome.connectMilliseconds.map { .double($0) } ?? .null(.double)))
        metrics.append(Metric("tt_firstbyte", outcome.firstByteMilliseconds.map { .double($0) } ?? .null(.double)))
        var bodyMatched = true
        if let bodyPattern = config.bodyPattern {
            if outcome.responseReceived {
                bodyMatched = PatternCache.containsMatch(bodyPattern, String(decoding: outcome.body, as: UTF8.self))
                metrics.append(Metric("body_match", .string(bodyMatched ? "yes" : "no")))
            } else {
                metrics.append(Metric("body_match", .null(.string)))
            }
        }
        metrics.append(Metric("truncated", .int32(outcome.truncated ? 1 : 0)))
        metrics.append(Metric("redirects", .int32(Int32(clamping: redirects))))
        if let certificate = outcome.certificate {
            metrics.append(Metric("cert_subject", .string(certificate.subject)))
            metrics.append(Metric("cert_issuer", .string(certificate.issuer)))
            metrics.append(Metric("cert_end_in", .int64(certificate.notValidAfter - Int64(Date().timeIntervalSince1970))))
        }

        let durationMs = Int64(duration.rounded())
        func bad(_ status: String, available: Bool = true) -> CheckResult {
            CheckResult(
                availability: available ? .available : .unavailable, state: .bad, durationMilliseconds: durationMs,
                status: status, metrics: metrics)
        }
        if let failure = outcome.failure {
            // A server that got as far as presenting a certificate we refused did answer.
            return bad(failure, available: outcome.responseReceived || outcome.verificationFailure != nil)
        }
        guard let status = outcome.status else { return bad("no response", available: false) }
        if let redirectFailure { return bad(redirectFailure) }
        if !PatternCache.containsMatch(config.codePattern, String(status)) {
            return bad("code \(status) does not match \(config.codePattern)")
        }
        if !bodyMatched { return bad("body does not match") }
        var text = "HTTP \(status), \(outcome.body.count) bytes in \(duration.fixedText(decimals: 1)) ms"
        if redirects > 0 { text += redirects == 1 ? " after 1 redirect" : " after \(redirects) redirects" }
        if outcome.truncated { text += " (truncated at read_limit)" }
        return CheckResult(availability: .available, state: .good, durationMilliseconds: durationMs, status: text, metrics: metrics)
    }
}
