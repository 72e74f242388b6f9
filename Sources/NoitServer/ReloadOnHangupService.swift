import Logging
import ServiceLifecycle
import UnixSignals

/// SIGHUP re-reads the config file and applies the difference, as daemons have always done.
struct ReloadOnHangupService: Service {
    let node: NoitNode

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            node.logger.notice("SIGHUP: reloading configuration", metadata: ["path": "\(node.configPath)"])
            await node.reload()
        }
    }
}
