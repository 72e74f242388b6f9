import NIOCore
import NIOPosix

@testable import CheckModules

/// A DNS server on 127.0.0.1 that answers with whatever a test scripts: each UDP query gets
/// the scripted datagrams in order; over TCP (same port, when scripted) each framed query gets
/// the scripted chunks written one flush at a time, and no chunks at all closes the connection.
/// Every query received is also published on `queries`, so a test can wait for it.
final class DNSScriptedServer: Sendable {
    typealias Script = @Sendable (_ query: DNSMessage) -> [[UInt8]]

    let port: Int
    let queries: AsyncStream<DNSMessage>
    private let udp: any Channel
    private let tcp: (any Channel)?

    init(udp udpScript: @escaping Script, tcp tcpScript: Script? = nil) async throws {
        let (queries, continuation) = AsyncStream.makeStream(of: DNSMessage.self)
        self.queries = queries
        // UDP and TCP share one port number. The UDP port the kernel picks may already be a TCP
        // client's port in a parallel test, so a clash starts over with another UDP port.
        var attempt = 0
        while true {
            attempt += 1
            let udp = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            DNSScriptedDatagramHandler(script: udpScript, received: continuation))
                    }
                }
                .bind(host: "127.0.0.1", port: 0).get()
            let port = udp.localAddress!.port!
            guard let tcpScript else {
                (self.udp, self.tcp, self.port) = (udp, nil, port)
                return
            }
            do {
                let tcp = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                    .childChannelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(
                                DNSScriptedStreamHandler(script: tcpScript, received: continuation))
                        }
                    }
                    .bind(host: "127.0.0.1", port: port).get()
                (self.udp, self.tcp, self.port) = (udp, tcp, port)
                return
            } catch let error as IOError where error.errnoCode == EADDRINUSE && attempt < 20 {
                try? await udp.close()
            }
        }
    }

    func close() async {
        try? await udp.close()
        try? await tcp?.close()
    }

    /// A response to `query` echoing its id and question, with these answers.
    static func response(to query: DNSMessage, truncated: Bool = false, answers: [DNSResourceRecord]) -> DNSMessage {
        var response = query
        response.header.isResponse = true
        response.header.recursionAvailable = true
        response.header.isTruncated = truncated
        response.answers = answers
        return response
    }

    static func address(_ octets: [UInt8], for query: DNSMessage, ttl: UInt32 = 60) -> DNSResourceRecord {
        DNSResourceRecord(name: query.questions[0].name, type: .a, recordClass: .internet, ttl: ttl, data: .a(octets))
    }

    /// The message with its two-byte TCP length prefix.
    static func framed(_ bytes: [UInt8]) -> [UInt8] {
        [UInt8(bytes.count >> 8), UInt8(bytes.count & 0xFF)] + bytes
    }
}
