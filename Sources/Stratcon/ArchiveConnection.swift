import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// The storage a feed writes through, reopened whenever PostgreSQL went away. `ingest`
/// only returns once the batch is committed; while PostgreSQL is down it keeps retrying the
/// same batch (the feed holds one batch and acknowledges nothing meanwhile, so memory stays
/// bounded and the noit keeps the records in its journal).
public final class ArchiveConnection: Sendable {
    private let configuration: PostgresConnection.Configuration
    private let migrator: SchemaMigrator
    private let eventLoop: any EventLoop
    private let logger: Logger
    private let current = Mutex<ArchiveStore?>(nil)
    private let retryDelay: Duration
    private let attemptDeadline: Duration

    public init(configuration: PostgresConnection.Configuration, migrator: SchemaMigrator, eventLoop: any EventLoop,
                logger: Logger, retryDelay: Duration = .seconds(1), attemptDeadline: Duration = .seconds(60)) {
        self.attemptDeadline = attemptDeadline
        self.configuration = configuration
        self.migrator = migrator
        self.eventLoop = eventLoop
        self.logger = logger
        self.retryDelay = retryDelay
    }

    private static let ids = Atomic<Int>(1)

    /// Commits the batch, retrying through outages until it succeeds or the task is cancelled.
    public func ingest(noit: String, records: StagedRecords) async throws {
        var failures = 0
        while true {
            try Task.checkCancellation()
            do {
                let store = try await open()
                try await ingest(into: store, noit: noit, records: records)
                if failures > 0 { logger.notice("PostgreSQL is back; batch stored", metadata: ["noit": "\(noit)", "attempts": "\(failures + 1)"]) }
                return
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                failures += 1
                if failures == 1 || failures % 30 == 0 {
                    logger.error("cannot store a batch; retrying", metadata: ["noit": "\(noit)", "error": "\(String(reflecting: error))", "attempts": "\(failures)"])
                }
                await drop()
                try await Task.sleep(for: retryDelay)
            }
        }
    }

    /// One attempt, bounded by `attemptDeadline`. A server that vanishes in the middle of a
    /// COPY can leave the client waiting for an answer that never comes; past the deadline
    /// the connection is closed and the attempt abandoned, so the retry loop goes on. The
    /// abandoned attempt is an unstructured task on purpose: a structured one would make
    /// this wait for it, which is the very hang being avoided.
    private func ingest(into store: ArchiveStore, noit: String, records: StagedRecords) async throws {
        try await withDeadline(store) { try await $0.ingest(noit: noit, records: records) }
    }

    /// One pass of the rollup queue (see ``ArchiveStore/applyPendingRollups(maxBatches:)``),
    /// bounded by the same deadline; a failure drops the connection for the next call.
    public func applyPendingRollups(maxBatches: Int) async throws -> Int {
        do {
            let store = try await open()
            return try await withDeadline(store) { try await $0.applyPendingRollups(maxBatches: maxBatches) }
        } catch {
            await drop()
            throw error
        }
    }

    private func withDeadline<Result: Sendable>(
        _ store: ArchiveStore, _ body: @escaping @Sendable (ArchiveStore) async throws -> Result
    ) async throws -> Result {
        let deadline = attemptDeadline
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, any Error>) in
            let finished = FirstOutcome()
            let attempt = Task {
                do {
                    let result = try await body(store)
                    if finished.claim() { continuation.resume(returning: result) }
                } catch {
                    if finished.claim() { continuation.resume(throwing: error) }
                }
            }
            Task {
                try? await Task.sleep(for: deadline)
                if finished.claim() {
                    attempt.cancel()
                    let _: EventLoopFuture<Void> = store.connection.close()
                    continuation.resume(throwing: AttemptTimedOut(seconds: deadline.components.seconds))
                }
            }
        }
    }

    /// Lets exactly one of the attempt and its deadline resume the waiting caller.
    final class FirstOutcome: Sendable {
        private let taken = Mutex(false)

        func claim() -> Bool {
            taken.withLock { taken in
                defer { taken = true }
                return !taken
            }
        }
    }

    struct AttemptTimedOut: Error, CustomStringConvertible {
        var seconds: Int64
        var description: String { "no answer from PostgreSQL within \(seconds) s" }
    }

    private func open() async throws -> ArchiveStore {
        if let store = current.withLock({ $0 }), !store.connection.isClosed { return store }
        let store = try await ArchiveStore.connect(
            configuration: configuration, migrator: migrator, eventLoop: eventLoop,
            id: Self.ids.wrappingAdd(1, ordering: .relaxed).oldValue, logger: logger)
        current.withLock { $0 = store }
        return store
    }

    private func drop() async {
        let store = current.withLock { current in
            defer { current = nil }
            return current
        }
        await store?.close()
    }

    public func close() async {
        await drop()
    }
}
