import Logging
import NIOPosix
import Testing

@testable import AlertDelivery
import AsyncHTTPClient

@Suite("Hook validation")
struct HookValidationTests {
    func problem(_ kind: HookKind, timeoutMs: Int64 = 10_000, name: String = "h") -> HookConfigurationError.Problem? {
        do {
            try HookDefinition(name: name, kind: kind, timeoutMs: timeoutMs).validate()
            return nil
        } catch {
            return error.problem
        }
    }

    @Test func validHooks() {
        #expect(problem(.pagerDuty(routingKey: "abc123")) == nil)
        #expect(problem(.webhook(url: "http://[::1]:8080/hook?token=x", headers: ["Authorization": "Bearer x"])) == nil)
        #expect(problem(.alertmanager(url: "HTTP://127.0.0.1:9093", resolveTimeoutMs: 60_000)) == nil)
        #expect(problem(.command(path: "/bin/true", arguments: [], timeoutMs: 1)) == nil)
    }

    @Test(arguments: ["", "not a url", "127.0.0.1:9093", "http://", "https:///path", "http:// spaces.example/"])
    func invalidURLs(url: String) {
        #expect(problem(.webhook(url: url, headers: [:])) == .invalidURL)
    }

    @Test func onlyHTTPAndHTTPS() {
        #expect(problem(.alertmanager(url: "ftp://user:hunter2@example.net/", resolveTimeoutMs: nil)) == .unsupportedScheme("ftp"))
        #expect(problem(.pagerDuty(url: "file:///etc/passwd", routingKey: "k")) == .unsupportedScheme("file"))
    }

    @Test func otherProblems() {
        #expect(problem(.pagerDuty(routingKey: "")) == .emptyRoutingKey)
        #expect(problem(.pagerDuty(routingKey: "abc 123")) == .invalidRoutingKey)
        #expect(problem(.webhook(url: "http://x/", headers: ["Bad Name": "v"])) == .invalidHeaderName("Bad Name"))
        #expect(problem(.webhook(url: "http://x/", headers: ["X-Ok": "v\r\nX-Injected: 1"])) == .invalidHeaderValue(headerName: "X-Ok"))
        #expect(problem(.webhook(url: "http://x/", headers: [:]), timeoutMs: 0) == .nonPositiveTimeout)
        #expect(problem(.alertmanager(url: "http://x/", resolveTimeoutMs: 0)) == .nonPositiveResolveTimeout)
        #expect(problem(.command(path: "notify.sh", arguments: [], timeoutMs: 1_000)) == .relativeCommandPath)
        #expect(problem(.command(path: "/bin/sh", arguments: ["-c", "a\u{0}b"], timeoutMs: 1_000)) == .invalidCommandArgument(index: 1))
        #expect(problem(.command(path: "/bin/sh", arguments: [], timeoutMs: -1)) == .nonPositiveTimeout)
        #expect(problem(.pagerDuty(routingKey: "k"), name: "") == .emptyName)
    }

    @Test func descriptionsHoldNoSecrets() {
        let error = HookConfigurationError(hookName: "pd", problem: .unsupportedScheme("ftp"))
        #expect(error.description == "hook 'pd': URL scheme 'ftp' is not http or https")
        do {
            try HookDefinition(name: "w", kind: .webhook(url: "gopher://admin:hunter2@example.net/?key=s3cret", headers: [:])).validate()
            Issue.record("expected a validation error")
        } catch {
            #expect(!error.description.contains("hunter2"))
            #expect(!error.description.contains("s3cret"))
        }
    }

    @Test func builderThrowsTheConfigurationError() {
        let hook = HookDefinition(name: "broken", kind: .webhook(url: "mailto:ops@example.net", headers: [:]))
        #expect(throws: HookConfigurationError(hookName: "broken", problem: .unsupportedScheme("mailto"))) {
            try HookRequestBuilder.request(for: .sample(), hook: hook, nowMs: 0)
        }
    }

    @Test func senderRejectsAnInvalidHookWithoutANetwork() async throws {
        let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
        let sender = HookSender(httpClient: client, logger: Logger(label: "test"))
        let outcome = await sender.deliver(.sample(), to: HookDefinition(name: "bad", kind: .pagerDuty(routingKey: "")), nowMs: 0)
        #expect(outcome == .rejected(status: 0, message: "hook 'bad': the PagerDuty routing key is empty"))
        let heartbeat = await sender.heartbeat(url: "udp://example.net", timeoutMs: 100, nowMs: 0)
        #expect(heartbeat == .rejected(status: 0, message: "hook 'heartbeat': URL scheme 'udp' is not http or https"))
        try await client.shutdown()
    }
}
