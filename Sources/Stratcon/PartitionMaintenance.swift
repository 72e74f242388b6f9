import Logging
import NIOCore
import PostgresNIO
import ServiceLifecycle

/// Keeps the day partitions ahead of the clock and drops those past retention, at start and
/// then hourly. Raw days are dropped whole; their rollups stay, and a day whose rollups are
/// still pending (schema 006) is kept until the RollupWorker has applied them.
public final class PartitionMaintenance: Service {
    public struct Settings: Sendable, Equatable {
        /// Days of raw statuses and metrics kept; nil keeps everything.
        public var rawRetentionDays: Int?
        /// Partitions created ahead of today.
        public var daysAhead: Int = 7
        public var interval: Duration = .seconds(3600)

        public init(rawRetentionDays: Int?) {
            self.rawRetentionDays = rawRetentionDays
        }
    }

    private let settings: Settings
    private let configuration: PostgresConnection.Configuration
    private let migrator: SchemaMigrator
    private let eventLoop: any EventLoop
    private let logger: Logger

    public init(settings: Settings, configuration: PostgresConnection.Configuration, migrator: SchemaMigrator,
                eventLoop: any EventLoop, logger: Logger) {
        self.settings = settings
        self.configuration = configuration
        self.migrator = migrator
        self.eventLoop = eventLoop
        self.logger = logger
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await self.runOnce()
                } catch {
                    self.logger.warning("partition maintenance failed; trying again later", metadata: ["error": "\(String(reflecting: error))"])
                }
                try await Task.sleep(for: self.settings.interval)
            }
        }
    }

    /// One pass: returns (partitions created, partitions dropped).
    @discardableResult
    public func runOnce() async throws -> (created: Int, dropped: Int) {
        let store = try await ArchiveStore.connect(configuration: configuration, migrator: migrator, eventLoop: eventLoop, id: 0, logger: logger)
        defer { Task { await store.close() } }
        let ahead = settings.daysAhead
        let created = try await store.connection.query(
            "SELECT noit_ensure_day_partitions(current_date, current_date + \(Int32(ahead)))", logger: logger
        ).collect().first?.decode(Int.self) ?? 0
        var dropped = 0
        if let days = settings.rawRetentionDays {
            dropped = try await store.connection.query("SELECT noit_drop_day_partitions(\(Int32(days)))", logger: logger)
                .collect().first?.decode(Int.self) ?? 0
        }
        if created > 0 || dropped > 0 {
            logger.notice("partitions maintained", metadata: ["created": "\(created)", "dropped": "\(dropped)"])
        }
        return (created, dropped)
    }
}
