import HTTPTypes
import Hummingbird
import HummingbirdTesting

extension TestClientProtocol {
    /// A change as an authorised client sends it: the fixture's API token, and the body's
    /// declared type (XML unless `json`).
    @discardableResult
    func change<Return>(
        uri: String, method: HTTPRequest.Method, json: Bool = false, body: String? = nil,
        headers extra: HTTPFields = [:],
        _ test: @escaping (TestResponse) async throws -> Return
    ) async throws -> Return {
        var headers: HTTPFields = [.authorization: "Bearer \(NodeFixture.token)"]
        if body != nil { headers[.contentType] = json ? "application/json" : "application/xml" }
        for field in extra { headers[field.name] = field.value }
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }, testCallback: test)
    }
}
