import Foundation
import Logging
import NIOPosix
import NoitTestSupport
import ServiceLifecycle

@testable import NoitServer

/// A whole node (scheduler, listeners, console) running in-process from a fixture's config,
/// for tests that talk to it over real loopback sockets.
struct RunningNode {
    let node: NoitNode
    let addresses: [String]
    let log: LogRecorder

    var consolePort: Int? { port(of: "telnet://") }
    var httpBase: String? { addresses.first { $0.hasPrefix("http") } }

    func port(of scheme: String) -> Int? {
        addresses.first { $0.hasPrefix(scheme) }.flatMap { Int($0.split(separator: ":").last ?? "") }
    }

    /// Builds and runs the node's services for the duration of `body`, then shuts down
    /// gracefully. Returns what `body` returns.
    static func with<Value: Sendable>(
        _ fixture: NodeFixture, _ body: @Sendable (RunningNode) async throws -> Value
    ) async throws -> Value {
        let log = LogRecorder(label: "node")
        let (ready, continuation) = AsyncStream.makeStream(of: [String].self)
        let (node, services) = try await buildNoitServices(
            configPath: fixture.configPath, eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: log.logger,
            onReady: { _, addresses in continuation.yield(addresses) })
        let group = ServiceGroup(configuration: .init(services: services, logger: log.logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ready.makeAsyncIterator()
            let addresses = await iterator.next() ?? []
            do {
                let value = try await body(RunningNode(node: node, addresses: addresses, log: log))
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return value
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }
}
