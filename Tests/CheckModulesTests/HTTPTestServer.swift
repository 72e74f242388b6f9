import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// A small HTTP/1.1 server on 127.0.0.1 for the http module's tests. NIOHTTP1 parses the
/// requests; responses are written as raw bytes so that each test controls the framing exactly
/// (content-length, chunked, close-delimited, stalled, or not HTTP at all).
final class HTTPTestServer: Sendable {
    struct Request: Sendable {
        var method: HTTPMethod
        var uri: String
        var headers: HTTPHeaders
        var body: [UInt8]
    }

    enum Response: Sendable {
        /// A complete response with a Content-Length (the body is left out for HEAD).
        case full(status: Int, headers: [(String, String)] = [], body: String = "")
        case chunked(status: Int, chunks: [String])
        /// No length, no chunking: the body ends when the server closes.
        case closeDelimited(status: Int, body: String)
        /// Announces a long body, sends part of it, then goes silent without closing.
        case stall(status: Int, partialBody: String)
        /// Arbitrary bytes (not necessarily HTTP, not necessarily UTF-8), then close.
        case raw([UInt8])
    }

    /// Requests in arrival order, shared between the connections' handlers and the test.
    final class RequestLog: Sendable {
        private let requests = Mutex<[Request]>([])

        func append(_ request: Request) { requests.withLock { $0.append(request) } }

        var all: [Request] { requests.withLock { $0 } }
    }

    let port: Int
    /// Every request, as soon as it has been read in full (before it is answered).
    let requests: AsyncStream<Request>
    private let requestLog: RequestLog
    private let channel: any Channel

    init(tls: NIOSSLContext? = nil, route: @escaping @Sendable (Request) -> Response) async throws {
        let (requests, continuation) = AsyncStream.makeStream(of: Request.self)
        let log = RequestLog()
        let record: @Sendable (Request) -> Void = { request in
            log.append(request)
            continuation.yield(request)
        }
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let tls { try pipeline.addHandler(NIOSSLServerHandler(context: tls)) }
                    try pipeline.addHandler(ByteToMessageHandler(HTTPRequestDecoder()))
                    try pipeline.addHandler(HTTPTestServerHandler(route: route, record: record))
                }
            }
        channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress!.port!
        self.requests = requests
        self.requestLog = log
    }

    var receivedRequests: [Request] { requestLog.all }

    func close() async {
        try? await channel.close()
    }

    /// The bytes of `response` as sent for a request with `method`.
    static func encode(_ response: Response, method: HTTPMethod) -> [UInt8] {
        if case .raw(let bytes) = response { return bytes }
        return Array(text(of: response, method: method).utf8)
    }

    private static func text(of response: Response, method: HTTPMethod) -> String {
        func statusLine(_ code: Int) -> String {
            "HTTP/1.1 \(code) \(HTTPResponseStatus(statusCode: code).reasonPhrase)\r\n"
        }
        switch response {
        case .full(let status, let headers, let body):
            var text = statusLine(status)
            for (name, value) in headers { text += "\(name): \(value)\r\n" }
            text += "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
            return method == .HEAD ? text : text + body
        case .chunked(let status, let chunks):
            var text = statusLine(status) + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            for chunk in chunks { text += String(chunk.utf8.count, radix: 16) + "\r\n" + chunk + "\r\n" }
            return text + "0\r\n\r\n"
        case .closeDelimited(let status, let body):
            return statusLine(status) + "Connection: close\r\n\r\n" + body
        case .stall(let status, let partialBody):
            return statusLine(status) + "Content-Length: 1000000\r\n\r\n" + partialBody
        case .raw:
            return ""
        }
    }
}
