import Foundation
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// A pipe whose write end a test's plugin opens by path (`/proc/<pid>/fd/<n>`) and whose read end
/// the test reads on the event loop. End of file means every process holding the write end has
/// closed it: a signal that a process is gone, without polling.
final class ExternalPipeReader: Sendable {
    private let channel: any Channel
    private let lines: AsyncStream<String>
    private let writeDescriptor: CInt

    /// Opens the pipe. The test's own write end stays open until `closeWriteEnd()`.
    init() async throws {
        var fds: [CInt] = [-1, -1]
        guard pipe(&fds) == 0 else { throw POSIXError(.EMFILE) }
        // Close-on-exec on both ends: only plugins that open the path get the write end.
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        lines = stream
        writeDescriptor = fds[1]
        channel = try await NIOPipeBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(LineSplitter(continuation: continuation))
                }
            }
            .takingOwnershipOfDescriptor(input: fds[0]).get()
    }

    /// The path a child process can open to write into this pipe.
    var writePath: String { "/proc/\(getpid())/fd/\(writeDescriptor)" }

    func closeWriteEnd() {
        Glibc.close(writeDescriptor)
    }

    /// The first line written, nil if the pipe ended first. Call once.
    func firstLine() async -> String? {
        var iterator = lines.makeAsyncIterator()
        return await iterator.next()
    }

    /// Whether the pipe reached end of file (every writer gone) within `limit`.
    func endOfFile(within limit: TimeAmount) async -> Bool {
        let loop = channel.eventLoop
        let answer = loop.makePromise(of: Bool.self)
        // The timer only bounds the failure case; success answers as soon as the pipe closes.
        let timer = loop.scheduleTask(in: limit) { answer.succeed(false) }
        channel.closeFuture.whenComplete { _ in
            timer.cancel()
            answer.succeed(true)
        }
        return (try? await answer.futureResult.get()) ?? false
    }

    func close() async {
        try? await channel.close()
    }

    private final class LineSplitter: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let continuation: AsyncStream<String>.Continuation
        var pending = [UInt8]()

        init(continuation: AsyncStream<String>.Continuation) {
            self.continuation = continuation
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            pending += unwrapInboundIn(data).readableBytesView
            while let newline = pending.firstIndex(of: 0x0A) {
                continuation.yield(String(decoding: pending[..<newline], as: UTF8.self))
                pending.removeSubrange(...newline)
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            continuation.finish()
            context.fireChannelInactive()
        }
    }
}
