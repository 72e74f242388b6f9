import NIOPosix
import ServiceLifecycle

/// An event loop group of its own for one part of the node, shut down when the node stops.
/// The consoles run on one: a client sending garbage or a megabyte line then costs that
/// loop's time, never the check loop's.
final class OwnedEventLoopGroup: Service {
    let group: MultiThreadedEventLoopGroup

    init(threads: Int) {
        group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
    }

    /// Listed before the services that use the group, so the service group stops it after them.
    func run() async throws {
        try? await gracefulShutdown()
        try await group.shutdownGracefully()
    }
}
