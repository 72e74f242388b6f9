import Journal
import Logging
import ServiceLifecycle

/// Flushes the journal to disk every `fsync_interval`, and once more when the node stops.
///
/// Appends are written to the file at once (so they survive a crash of the process); this
/// bounds what an operating-system crash could take to one interval.
struct JournalSyncService: Service {
    let journal: Journal
    let logger: Logger

    func run() async throws {
        let interval = max(1, journal.configuration.fsyncIntervalMilliseconds)
        let clock = ContinuousClock()
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                try? await Task.sleep(for: .milliseconds(interval), clock: clock)
                do {
                    try journal.syncIfDue(now: clock.now)
                } catch {
                    logger.error("journal fsync failed", metadata: ["error": "\(error)"])
                }
            }
        } onGracefulShutdown: {}
        do {
            try journal.close()
            logger.info("journal flushed and closed", metadata: ["last_sequence": "\(journal.lastSequence)"])
        } catch {
            logger.error("journal close failed", metadata: ["error": "\(error)"])
        }
    }
}
