import Logging
import NIOCore
import PostgresNIO
import ServiceLifecycle

/// Keeps the rollups up to date behind ingest: applies the pending entries batches leave
/// (see schema 006) whenever there are some, and looks again every `interval` when there
/// are none, standing aside while feeds drain a backlog (``BacklogSignal``). At shutdown it applies what is left, so a stopped stratcond leaves no work.
public final class RollupWorker: Service {
    public struct Settings: Sendable {
        public var interval: Duration = .seconds(1)
        /// How often a deferred pass looks again whether the feeds are still draining a backlog.
        public var deferralCheck: Duration = .milliseconds(200)
        public var batchesPerTransaction = 50
        /// A pass with no answer for this long is abandoned and its connection closed.
        public var deadline: Duration = .seconds(60)
        public init() {}
    }

    private let settings: Settings
    private let configuration: PostgresConnection.Configuration
    private let migrator: SchemaMigrator
    private let eventLoop: any EventLoop
    private let logger: Logger
    private let backlog: BacklogSignal?

    public init(settings: Settings = Settings(), configuration: PostgresConnection.Configuration, migrator: SchemaMigrator,
                eventLoop: any EventLoop, backlog: BacklogSignal? = nil, logger: Logger) {
        self.settings = settings
        self.backlog = backlog
        self.configuration = configuration
        self.migrator = migrator
        self.eventLoop = eventLoop
        self.logger = logger
    }

    public func run() async throws {
        // Its own connection, with ingest's deadline: a server that vanishes mid-query must
        // not leave this waiting forever (nor hold up shutdown).
        let connection = ArchiveConnection(
            configuration: configuration, migrator: migrator, eventLoop: eventLoop, logger: logger, attemptDeadline: settings.deadline)
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                if self.backlog?.shouldDeferRollups(at: .now) == true {
                    try? await Task.sleep(for: self.settings.deferralCheck)
                    continue
                }
                do {
                    // Several transactions back to back while there is a backlog, each bounded.
                    while try await connection.applyPendingRollups(maxBatches: self.settings.batchesPerTransaction) > 0,
                          !Task.isCancelled, self.backlog?.shouldDeferRollups(at: .now) != true {}
                } catch {
                    if Task.isCancelled { break }
                    self.logger.warning("applying rollups failed; trying again", metadata: ["error": "\(String(reflecting: error))"])
                }
                try? await Task.sleep(for: self.settings.interval)
            }
        }
        // The last pass, outside the cancelled scope so its queries can run; bounded by the
        // deadline, and whatever is left is applied at the next start.
        do {
            while try await connection.applyPendingRollups(maxBatches: settings.batchesPerTransaction) > 0 {}
        } catch {
            logger.warning("rollups left pending at shutdown; they are applied at the next start", metadata: ["error": "\(error)"])
        }
        await connection.close()
    }
}
