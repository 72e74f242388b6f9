import Foundation
import Hummingbird
import NIOCore
import NoitCore

extension GraphAPI {
    /// How often an idle `/api/live` stream sends a comment, so proxies keep it open and a
    /// client that went away is noticed (the write fails) even when the check is quiet.
    static let keepAliveInterval: Duration = .seconds(15)

    /// Server-sent events: each status and metric of the check as it is stored. The first
    /// thing sent is a comment line, after which every stored record is delivered.
    func live(_ request: Request) async throws(APIError) -> Response {
        let parameters = try APIParameters(request, allowed: ["check"])
        guard let uuid = try parameters.uuid("check") else { throw .badRequest("parameter 'check' is required") }
        _ = try await requireCheck(uuid)
        let records = live.subscribe(uuid)
        let keepAlive = Self.keepAliveInterval
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: ResponseBody { writer in
                let (outgoing, continuation) = AsyncStream.makeStream(of: ByteBuffer.self, bufferingPolicy: .bufferingNewest(1000))
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await record in records {
                            if let event = Self.serverSentEvent(record) { continuation.yield(event) }
                        }
                        continuation.finish()
                    }
                    group.addTask {
                        while true {
                            try await Task.sleep(for: keepAlive)
                            continuation.yield(ByteBuffer(string: ": keep-alive\n\n"))
                        }
                    }
                    try await writer.write(ByteBuffer(string: ": subscribed\n\n"))
                    for await buffer in outgoing { try await writer.write(buffer) }
                    group.cancelAll()
                }
                try await writer.finish(nil)
            })
    }

    static func serverSentEvent(_ record: Record) -> ByteBuffer? {
        var json = JSONText(capacity: 256)
        let name: String
        switch record {
        case .status(let timestamp, _, let state, let availability, let duration, let status):
            name = "status"
            json.beginObject()
            json.field("time_ms", timestamp.millisecondsSinceEpoch)
            json.field("state", state == .good ? "good" : "bad")
            json.field("availability", availability == .available ? "available" : "unavailable")
            json.field("duration_ms", duration)
            json.field("status", status)
            json.endObject()
        case .metric(let timestamp, _, let metric):
            name = "metric"
            json.beginObject()
            json.field("time_ms", timestamp.millisecondsSinceEpoch)
            json.field("name", metric.name)
            json.field("type", String(metric.type.rawValue))
            if metric.type.isNumeric { json.field("value", metric.value.doubleValue) } else { json.field("value", metric.value.valueText) }
            json.endObject()
        case .check, .delete:
            return nil
        }
        var event = ByteBuffer(string: "event: \(name)\ndata: ")
        var body = json.buffer
        event.writeBuffer(&body)
        event.writeString("\n\n")
        return event
    }
}
