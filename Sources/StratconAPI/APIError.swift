import Hummingbird
import NIOCore

/// A refusal the API explains: the status and a message for the operator, sent as
/// `{"error": "..."}`.
struct APIError: Error, Sendable {
    var status: HTTPResponse.Status
    var message: String

    static func badRequest(_ message: String) -> APIError { APIError(status: .badRequest, message: message) }
    static func notFound(_ message: String) -> APIError { APIError(status: .notFound, message: message) }

    var response: Response {
        var json = JSONText(capacity: 128)
        json.beginObject()
        json.field("error", message)
        json.endObject()
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: json.buffer))
    }
}

/// Runs a query for an API handler; a database failure becomes a 503 the operator can read,
/// never a crash.
func database<Result>(_ body: () async throws -> Result) async throws(APIError) -> Result {
    do {
        return try await body()
    } catch {
        throw APIError(status: .serviceUnavailable, message: "the database did not answer: \(String(reflecting: error).prefix(300))")
    }
}
