import Foundation
import Hummingbird
import HummingbirdTesting
import NoitTestSupport
import Testing

@testable import NoitServer

@Suite("/metrics")
struct MetricsEndpointTests {
    @Test("serves Prometheus text with the scheduler's counters and lateness")
    func prometheusText() async throws {
        let fixture = try NodeFixture()
        defer { fixture.remove() }
        try fixture.writeConfig(checks: "<check uuid=\"\(UUID())\" module=\"selfcheck\"/>")
        let node = try fixture.makeNode()
        await node.start()
        let app = Hummingbird.Application(router: buildNodeRouter(node: node))
        try await app.test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                let body = String(buffer: response.body)
                #expect(body.contains("noit_checks 1.0"))
                #expect(body.contains("# TYPE noit_scheduler_runs_started_total counter"))
                #expect(body.contains("noit_journal_last_sequence 1.0"))
            }
            try await client.execute(uri: "/nope", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
