import Foundation
import Hummingbird
import Logging
import NIOCore
import NoitConfig
import ServiceLifecycle
import Synchronization

/// Builds the node and the services that run it, in start-up order; the group shuts them down
/// in reverse, so the scheduler drains before the journal's last flush.
public func buildNoitServices(
    configPath: String,
    eventLoopGroup: any EventLoopGroup,
    logger: Logger,
    onReady: @escaping @Sendable (NoitNode, [String]) -> Void = { _, _ in }
) async throws -> (NoitNode, [any Service]) {
    let node = try NoitNode(configPath: configPath, eventLoopGroup: eventLoopGroup, logger: logger)
    await node.start()
    let httpListeners = node.currentConfiguration.listeners.filter { $0.type == .http }
    let ready = ReadyLatch(expected: httpListeners.count) { addresses in
        onReady(node, addresses)
    }
    var services: [any Service] = [JournalSyncService(journal: node.journal, logger: logger), node.scheduler]
    for listener in httpListeners {
        services.append(
            Application(
                router: buildNodeRouter(node: node),
                configuration: .init(address: .hostname(listener.address, port: listener.port), serverName: "noitd"),
                onServerRunning: { channel in
                    ready.arrived("http://\(listener.address):\(channel.localAddress?.port ?? listener.port)")
                },
                logger: logger))
    }
    services.append(ReloadOnHangupService(node: node))
    if httpListeners.isEmpty { ready.arrived(nil) }
    return (node, services)
}

/// Calls back once every listener is up, with their addresses.
final class ReadyLatch: Sendable {
    private let state: Mutex<(remaining: Int, addresses: [String])>
    private let done: @Sendable ([String]) -> Void

    init(expected: Int, done: @escaping @Sendable ([String]) -> Void) {
        self.state = Mutex((expected, []))
        self.done = done
    }

    func arrived(_ address: String?) {
        let fire: [String]? = state.withLock { state in
            if let address { state.addresses.append(address) }
            state.remaining -= 1
            return state.remaining == 0 ? state.addresses : nil
        }
        if let fire { done(fire) }
    }
}
