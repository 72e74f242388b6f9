import Feed
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NoitTestSupport

/// An aggregator's end of the feed for tests: TLS with a client certificate, frames in and
/// out. It stores nothing; the test decides what to acknowledge.
struct FeedTestClient {
    let channel: NIOAsyncChannel<FeedFrame, FeedFrame>

    static func tls(authority: TestCertificateAuthority, client: IssuedCertificate?) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates([authority.certificate])
        if let client {
            configuration.certificateChain = [.certificate(client.certificate)]
            configuration.privateKey = .privateKey(client.privateKey)
        }
        return try NIOSSLContext(configuration: configuration)
    }

    static func connect(port: Int, tls: NIOSSLContext) async throws -> FeedTestClient {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: "localhost"))
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(FeedFrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(FeedFrameEncoder()))
                    return try NIOAsyncChannel<FeedFrame, FeedFrame>(wrappingChannelSynchronously: channel)
                }
            }
        return FeedTestClient(channel: channel)
    }

    /// Sends `frames`, then collects what the node sends until `until` says stop or the
    /// connection ends; closes the connection either way.
    func exchange(
        _ frames: [FeedFrame], until: @escaping (FeedFrame, inout [FeedFrame]) -> Bool
    ) async throws -> [FeedFrame] {
        var received = [FeedFrame]()
        try await channel.executeThenClose { inbound, outbound in
            for frame in frames { try await outbound.write(frame) }
            var replies = [FeedFrame]()
            for try await frame in inbound {
                received.append(frame)
                var toSend = [FeedFrame]()
                let done = until(frame, &toSend)
                replies += toSend
                for reply in toSend { try await outbound.write(reply) }
                if done { break }
            }
        }
        return received
    }
}
