import NIOCore
import NIOHTTP1
import NIOPosix

/// A real HTTP/1.1 receiver on 127.0.0.1 with an ephemeral port, for delivering to over loopback.
final class TestHTTPServer: Sendable {
    let port: Int
    let recorder: RequestRecorder
    private let channel: any Channel

    private init(port: Int, recorder: RequestRecorder, channel: any Channel) {
        self.port = port
        self.recorder = recorder
        self.channel = channel
    }

    static func start(_ script: [ScriptedResponse]) async throws -> TestHTTPServer {
        let recorder = RequestRecorder(script: script)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(RecordingHTTPHandler(recorder: recorder))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        guard let port = channel.localAddress?.port else {
            try await channel.close()
            throw NoPort()
        }
        return TestHTTPServer(port: port, recorder: recorder, channel: channel)
    }

    struct NoPort: Error {}

    func url(_ path: String) -> String {
        "http://127.0.0.1:\(port)\(path)"
    }

    var requests: [RecordedRequest] { recorder.requests }

    func stop() async throws {
        try await channel.close()
    }
}
