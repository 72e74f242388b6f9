import AsyncHTTPClient
import Foundation
import NIOPosix
import NoitTestSupport
import Testing

@testable import AlertDelivery

@Suite("HTTP delivery against a loopback receiver")
struct HookSenderHTTPTests {
    static let routingKey = "R0UT1NGKEY0123456789abcdefABCDEF"

    /// A hook timeout only a hang crosses: a starved test process can stall for 20 s.
    static let generousTimeoutMs: Int64 = 120_000

    /// Runs `body` with a sender on a fresh client, and always shuts the client down.
    func withSender<T>(_ body: (HookSender, LogCapture) async throws -> T) async throws -> T {
        // The client's own 10 s connect timeout is within such a stall; the hooks' timeouts decide.
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .milliseconds(Self.generousTimeoutMs)
        let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
        let capture = LogCapture()
        let sender = HookSender(httpClient: client, logger: capture.logger)
        let result: T
        do {
            result = try await body(sender, capture)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        return result
    }

    func pagerDutyHook(_ server: TestHTTPServer, timeoutMs: Int64 = HookSenderHTTPTests.generousTimeoutMs) -> HookDefinition {
        HookDefinition(name: "pd", kind: .pagerDuty(url: server.url("/v2/enqueue"), routingKey: Self.routingKey), timeoutMs: timeoutMs)
    }

    @Test func acceptedIsDelivered() async throws {
        let server = try await TestHTTPServer.start([
            .status(202, headers: [("Content-Type", "application/json")], body: #"{"status":"success","message":"Event processed"}"#)
        ])
        let (outcome, logs) = try await withSender { sender, capture in
            (await sender.deliver(.sample(), to: pagerDutyHook(server), nowMs: 0), capture.text)
        }
        try await server.stop()

        #expect(outcome == .delivered(status: 202))
        let requests = server.requests
        #expect(requests.count == 1)
        let request = try #require(requests.first)
        #expect(request.method == "POST")
        #expect(request.uri == "/v2/enqueue")
        #expect(request.header("Content-Type") == "application/json")
        #expect(request.header("User-Agent") == HookRequestBuilder.userAgent)
        let json = try TestJSON.object(request.body)
        #expect(json["routing_key"] as? String == Self.routingKey)
        #expect(json["event_action"] as? String == "trigger")
        #expect(json["dedup_key"] as? String == AlertNotification.sample().dedupKey)

        #expect(logs.contains("alert delivered"))
        #expect(logs.contains("destination=http://127.0.0.1:\(server.port)"))
        #expect(!logs.contains(Self.routingKey))
        #expect(!logs.contains("/v2/enqueue"))
    }

    @Test func serverErrorIsRetryable() async throws {
        let server = try await TestHTTPServer.start([.status(500, body: "upstream broke\n")])
        let outcome = try await withSender { sender, _ in await sender.deliver(.sample(), to: pagerDutyHook(server), nowMs: 0) }
        try await server.stop()
        #expect(outcome == .retryable(status: 500, retryAfterMs: nil, message: "HTTP 500: upstream broke"))
    }

    @Test func tooManyRequestsHonoursRetryAfter() async throws {
        let server = try await TestHTTPServer.start([.status(429, headers: [("Retry-After", "7")], body: "slow down")])
        let outcome = try await withSender { sender, _ in await sender.deliver(.sample(), to: pagerDutyHook(server), nowMs: 0) }
        try await server.stop()
        #expect(outcome == .retryable(status: 429, retryAfterMs: 7_000, message: "HTTP 429: slow down"))
    }

    @Test func badRequestIsRejectedWithARedactedExcerpt() async throws {
        let body = """
            {"status":"invalid event","message":"Event object is invalid",
            "errors":["routing_key \(Self.routingKey) is not valid"]}
            """
        let server = try await TestHTTPServer.start([.status(400, headers: [("Content-Type", "application/json")], body: body)])
        let (outcome, logs) = try await withSender { sender, capture in
            (await sender.deliver(.sample(), to: pagerDutyHook(server), nowMs: 0), capture.text)
        }
        try await server.stop()
        #expect(
            outcome
                == .rejected(
                    status: 400,
                    message: #"HTTP 400: {"status":"invalid event","message":"Event object is invalid", "errors":["routing_key [redacted] is not valid"]}"#
                ))
        #expect(logs.contains("will not retry"))
        #expect(!logs.contains(Self.routingKey))
    }

    @Test func hugeGarbageBodyIsBounded() async throws {
        var garbage = [UInt8](repeating: 0xFF, count: 512 * 1024)
        garbage += [UInt8](repeating: UInt8(ascii: "z"), count: 512 * 1024)
        let server = try await TestHTTPServer.start([.answer(status: 502, headers: [], body: garbage)])
        let outcome = try await withSender { sender, _ in await sender.deliver(.sample(), to: pagerDutyHook(server), nowMs: 0) }
        try await server.stop()
        guard case .retryable(502, nil, let message) = outcome else {
            Issue.record("expected retryable 502, got \(outcome)")
            return
        }
        #expect(message.utf16.count <= 320)
    }

    /// A hook at a loopback port that stays bound without listening for the whole test
    /// process, so connecting is refused and no other test's socket can take the port.
    func refusedHook(timeoutMs: Int64) async throws -> HookDefinition {
        let port = try await LoopbackServer.closedPort()
        return HookDefinition(name: "pd", kind: .pagerDuty(url: "http://127.0.0.1:\(port)/v2/enqueue", routingKey: Self.routingKey), timeoutMs: timeoutMs)
    }

    @Test func connectionRefusedIsRetryable() async throws {
        let hook = try await refusedHook(timeoutMs: 500)
        // With the client's default retryConnectionEstablishment, connecting is retried until the
        // hook's timeout; which of the two a loaded machine reports first varies (a connect that
        // outlives the hook's timeout is reported as that timeout).
        let outcome = try await withSender { sender, _ in
            await sender.deliver(.sample(), to: hook, nowMs: 0)
        }
        guard case .retryable(nil, nil, let message) = outcome else {
            Issue.record("expected a retryable network failure, got \(outcome)")
            return
        }
        #expect(message == "network error: Connection refused (errno 111)" || message == "request timed out after 500 ms", "\(message)")
    }

    @Test func connectionRefusedFailsFastWithoutConnectRetries() async throws {
        // Timeouts of 600 s against the 300 s bound below: waiting for either crosses it, a stalled test process does not.
        let hook = try await refusedHook(timeoutMs: 600_000)
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .seconds(600)
        configuration.connectionPool.retryConnectionEstablishment = false
        let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
        let sender = HookSender(httpClient: client, logger: LogCapture().logger)
        let clock = ContinuousClock()
        let start = clock.now
        let outcome = await sender.deliver(.sample(), to: hook, nowMs: 0)
        let elapsed = clock.now - start
        try await client.shutdown()
        #expect(outcome == .retryable(status: nil, retryAfterMs: nil, message: "network error: Connection refused (errno 111)"))
        #expect(elapsed < .seconds(300), "did not wait for the timeout")
    }

    /// The timeout is the point here: it stays short, and the verdict holds however long a busy
    /// machine takes to connect.
    @Test func silentReceiverTimesOut() async throws {
        let server = try await TestHTTPServer.start([.neverAnswer])
        let clock = ContinuousClock()
        let start = clock.now
        let outcome = try await withSender { sender, _ in
            await sender.deliver(.sample(), to: pagerDutyHook(server, timeoutMs: 300), nowMs: 0)
        }
        let elapsed = clock.now - start
        try await server.stop()
        #expect(outcome == .retryable(status: nil, retryAfterMs: nil, message: "request timed out after 300 ms"))
        #expect(elapsed >= .milliseconds(300))
        #expect(elapsed < .seconds(120))  // did not wait for an answer that never comes; only a hang takes 120 s
    }

    @Test func aConnectTimeoutPastTheHooksDeadlineIsThatTimeout() {
        let late = HookSender.describe(HTTPClientError.connectTimeout, timeoutMs: 300, deadlinePassed: true, redacting: [])
        #expect(late == "request timed out after 300 ms")
        let early = HookSender.describe(HTTPClientError.connectTimeout, timeoutMs: 30_000, deadlinePassed: false, redacting: [])
        #expect(early == "connect timed out")
    }

    @Test func webhookSendsConfiguredHeadersAndLogsNoSecrets() async throws {
        let server = try await TestHTTPServer.start([.status(204)])
        let url = "http://127.0.0.1:\(server.port)/hooks/T0SECRETPATH?token=s3cr3tQuery"
        let hook = HookDefinition(
            name: "ops", kind: .webhook(url: url, headers: ["Authorization": "Bearer hunter2hunter2", "X-Team": "ops"]), timeoutMs: Self.generousTimeoutMs)
        let (outcome, logs) = try await withSender { sender, capture in
            (await sender.deliver(.sample(action: .resolve), to: hook, nowMs: 0), capture.text)
        }
        try await server.stop()

        #expect(outcome == .delivered(status: 204))
        let request = try #require(server.requests.first)
        #expect(request.uri == "/hooks/T0SECRETPATH?token=s3cr3tQuery")
        #expect(request.header("Authorization") == "Bearer hunter2hunter2")
        #expect(request.header("X-Team") == "ops")
        let json = try TestJSON.object(request.body)
        #expect(json["action"] as? String == "resolve")
        #expect(json["resolved_at"] as? String == "2024-05-01T12:39:56.789Z")
        for secret in ["hunter2", "T0SECRETPATH", "s3cr3tQuery"] {
            #expect(!logs.contains(secret), "log leaks \(secret)")
        }
    }

    @Test func alertmanagerPostsToTheAlertsEndpoint() async throws {
        let server = try await TestHTTPServer.start([.status(200)])
        let hook = HookDefinition(name: "am", kind: .alertmanager(url: server.url("/"), resolveTimeoutMs: 600_000), timeoutMs: Self.generousTimeoutMs)
        let outcome = try await withSender { sender, _ in
            await sender.deliver(.sample(), to: hook, nowMs: AlertNotification.sampleOpenedAtMs)
        }
        try await server.stop()
        #expect(outcome == .delivered(status: 200))
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.uri == "/api/v2/alerts")
        let alerts = try TestJSON.array(request.body)
        let alert = try #require(alerts.first as? [String: Any])
        #expect(alert["endsAt"] as? String == "2024-05-01T12:44:56.789Z")
    }

    @Test func heartbeatIsAGet() async throws {
        let server = try await TestHTTPServer.start([.status(200, body: "OK"), .status(503, headers: [("Retry-After", "30")])])
        let (first, second) = try await withSender { sender, _ in
            (
                await sender.heartbeat(url: server.url("/ping/abc"), timeoutMs: Self.generousTimeoutMs, nowMs: 0),
                await sender.heartbeat(url: server.url("/ping/abc"), timeoutMs: Self.generousTimeoutMs)
            )
        }
        try await server.stop()
        #expect(first == .delivered(status: 200))
        #expect(second == .retryable(status: 503, retryAfterMs: 30_000, message: "HTTP 503"))
        let requests = server.requests
        #expect(requests.map(\.method) == ["GET", "GET"])
        #expect(requests.map(\.uri) == ["/ping/abc", "/ping/abc"])
        #expect(requests.allSatisfy { $0.body.isEmpty })
    }
}
