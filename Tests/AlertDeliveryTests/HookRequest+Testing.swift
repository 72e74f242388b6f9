import AlertDelivery
import Testing

extension HookRequest {
    /// The parts of an HTTP request, or a test failure for a command request.
    func httpParts(sourceLocation: SourceLocation = #_sourceLocation) throws -> (method: String, url: String, headers: HookHeaders, body: [UInt8]) {
        guard case .http(let method, let url, let headers, let body) = self else {
            Issue.record("expected an HTTP request, got \(self)", sourceLocation: sourceLocation)
            throw TestFailure()
        }
        return (method, url, headers, body)
    }

    struct TestFailure: Error {}
}
