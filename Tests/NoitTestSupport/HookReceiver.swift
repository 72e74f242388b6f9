import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A real HTTP/1.1 server on 127.0.0.1 that stands in for a pager or webhook endpoint: it
/// records every request and answers each from a script the test can change at any time.
public final class HookReceiver: Sendable {
    public struct Request: Sendable {
        public var method: String
        public var path: String
        public var headers: [(String, String)]
        public var body: Data

        public func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
        public var json: Any? { try? JSONSerialization.jsonObject(with: body) }
    }

    public struct Answer: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: String
        public init(status: Int, headers: [(String, String)] = [], body: String = "") {
            self.status = status
            self.headers = headers
            self.body = body
        }
    }

    private struct State {
        var requests: [Request] = []
        var answer: @Sendable (Request, Int) -> Answer = { _, _ in Answer(status: 202, body: "{\"status\":\"success\"}") }
        var waiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    public let port: Int
    private let channel: any Channel
    private let state = Mutex(State())

    public init() async throws {
        let box = StateBox()
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(ReceiverHandler(receiver: box))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress!.port!
        box.receiver.withLock { $0 = self }
    }

    public var url: String { "http://127.0.0.1:\(port)" }

    /// How to answer from now on; the second argument is the request's index (0 = first).
    public func answer(_ answer: @escaping @Sendable (Request, Int) -> Answer) {
        state.withLock { $0.answer = answer }
    }

    public var requests: [Request] { state.withLock { $0.requests } }

    /// Returns once at least `count` requests have arrived (or after `limit`, as a guard).
    @discardableResult
    public func waitForRequests(_ count: Int, limit: Duration = .seconds(120)) async -> [Request] {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let ready = self.state.withLock { state -> Bool in
                        if state.requests.count >= count { return true }
                        state.waiters.append((count, continuation))
                        return false
                    }
                    if ready { continuation.resume() }
                }
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                self.releaseAll()
            }
            await group.next()
            group.cancelAll()
        }
        return requests
    }

    private func releaseAll() {
        let waiters = state.withLock { state in
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.continuation.resume() }
    }

    fileprivate func received(_ request: Request) -> Answer {
        let (answer, ready) = state.withLock { state -> (Answer, [CheckedContinuation<Void, Never>]) in
            state.requests.append(request)
            let answer = state.answer(request, state.requests.count - 1)
            let ready = state.waiters.filter { $0.count <= state.requests.count }.map(\.continuation)
            state.waiters.removeAll { $0.count <= state.requests.count }
            return (answer, ready)
        }
        for continuation in ready { continuation.resume() }
        return answer
    }

    public func close() async {
        releaseAll()
        try? await channel.close()
    }
}

private final class StateBox: Sendable {
    let receiver = Mutex<HookReceiver?>(nil)
}

private final class ReceiverHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let receiver: StateBox
    private var head: HTTPRequestHead?
    private var body = Data()

    init(receiver: StateBox) {
        self.receiver = receiver
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = Data()
        case .body(let buffer):
            body.append(contentsOf: buffer.readableBytesView)
        case .end:
            guard let head, let receiver = receiver.receiver.withLock({ $0 }) else { return }
            let request = HookReceiver.Request(
                method: head.method.rawValue, path: head.uri, headers: head.headers.map { ($0.name, $0.value) }, body: body)
            let answer = receiver.received(request)
            var headers = HTTPHeaders(answer.headers)
            headers.replaceOrAdd(name: "content-length", value: String(answer.body.utf8.count))
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .init(statusCode: answer.status), headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: answer.body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            self.head = nil
        }
    }
}
