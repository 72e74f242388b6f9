import Alerting
import Feed
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import ServiceLifecycle
import Synchronization

/// Pulls one noit's journal into the archives: connects over TLS with this stratcond's
/// client certificate, runs a ``FeedClientMachine``, stores each batch and acknowledges it
/// only once committed; reconnects with backoff (1 s rising to 15 s) whenever the
/// connection ends.
public final class NoitFeed: Service {
    public struct Status: Sendable, Equatable {
        public var connected = false
        public var subscriber: String?
        /// The last record acknowledged to the noit.
        public var checkpoint: UInt64 = 0
        public var recordsStored: UInt64 = 0
        public var batchesStored: UInt64 = 0
        public var recordsRejected: UInt64 = 0
        public var recordsLost: UInt64 = 0
        public var connections: UInt64 = 0
        /// The largest completion-to-commit lag among the statuses of the last batch.
        public var lastBatchLagMilliseconds: Int64?
    }

    public let settings: NoitFeedSettings
    private let archive: ArchiveConnection
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let tls: NIOSSLContext
    private let live: LiveHub?
    private let alerts: AlertEngine?
    private let backlog: BacklogSignal?
    private let state = Mutex(Status())
    private let lag = Mutex(LagReport())

    /// The lag histograms and when the current interval began (ms since the epoch).
    private struct LagReport {
        var lag = IngestLag()
        var intervalStart: Int64?
        var recordsAtIntervalStart: UInt64 = 0
    }

    public init(
        settings: NoitFeedSettings, archive: ArchiveConnection, eventLoopGroup: any EventLoopGroup, live: LiveHub? = nil,
        alerts: AlertEngine? = nil, backlog: BacklogSignal? = nil, logger: Logger
    ) throws {
        self.backlog = backlog
        self.settings = settings
        self.live = live
        self.alerts = alerts
        self.archive = archive
        self.eventLoopGroup = eventLoopGroup
        self.tls = try NIOSSLContext(configuration: settings.tls)
        var logger = logger
        logger[metadataKey: "noit"] = "\(settings.name)"
        self.logger = logger
    }

    public var status: Status { state.withLock { $0 } }

    /// Completion-to-commit lag of every status stored since start.
    public var ingestLag: IngestLag.Summary { lag.withLock { $0.lag.sinceStart } }

    public func run() async throws {
        let settings = self.settings
        try? await cancelWhenGracefulShutdown {
            var backoff = ReconnectBackoff(minimum: settings.minimumBackoff, maximum: settings.maximumBackoff)
            while !Task.isCancelled {
                do {
                    let worked = try await self.session()
                    if worked { backoff.succeeded() }
                } catch is CancellationError {
                    break
                } catch {
                    self.logger.warning("feed connection failed", metadata: ["error": "\(error)"])
                }
                self.state.withLock { $0.connected = false }
                let delay = backoff.failed()
                self.logger.info("reconnecting to the noit", metadata: ["in": "\(delay)"])
                try await Task.sleep(for: delay)
            }
        }
        let total = lag.withLock { $0.lag.sinceStart }
        let stored = status
        logger.notice("feed totals", metadata: [
            "records": "\(stored.recordsStored)", "batches": "\(stored.batchesStored)",
            "lag_p50_ms": "\(total.p50Milliseconds)", "lag_p99_ms": "\(total.p99Milliseconds)", "lag_max_ms": "\(total.maxMilliseconds)",
        ])
        await archive.close()
    }

    /// One connection, until it ends. True when the noit accepted us (the backoff restarts).
    private func session() async throws -> Bool {
        let tls = self.tls
        let serverName = settings.serverName ?? settings.address
        let channel = try await ClientBootstrap(group: eventLoopGroup)
            .connectTimeout(.seconds(10))
            .connect(host: settings.address, port: settings.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName))
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(FeedFrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(FeedFrameEncoder()))
                    return try NIOAsyncChannel<FeedFrame, FeedFrame>(wrappingChannelSynchronously: channel)
                }
            }
        state.withLock { $0.connections += 1 }
        var accepted = false
        try await channel.executeThenClose { inbound, outbound in
            // Storage runs beside the connection: while one batch is being stored, the next
            // is received and staged. Batches reach it in order, and their acks come back in
            // order; the window bounds how many are in hand.
            let storage = StagedBatchQueue<StagedBatch>()
            let (events, sink) = AsyncStream.makeStream(of: SessionEvent.self)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        for try await frame in inbound { sink.yield(.frame(frame)) }
                        sink.yield(.ended(nil))
                    } catch {
                        sink.yield(.ended(error))
                    }
                }
                group.addTask {
                    do {
                        while let batches = await storage.takeAll() {
                            try await self.store(batches)
                            for batch in batches { sink.yield(.stored(through: batch.last)) }
                        }
                    } catch {
                        sink.yield(.ended(error))
                    }
                }
                defer {
                    storage.finish()
                    group.cancelAll()
                }
                var machine = FeedClientMachine(maxRecords: settings.maxRecords, maxBytes: settings.maxBytes, window: settings.window)
                var pending = machine.start()
                var iterator = events.makeAsyncIterator()
                while true {
                    while !pending.isEmpty {
                        switch pending.removeFirst() {
                        case .send(let frame):
                            try await outbound.write(frame)
                        case .subscribed(let subscriber, let checkpoint):
                            accepted = true
                            state.withLock {
                                $0.connected = true
                                $0.subscriber = subscriber
                                $0.checkpoint = checkpoint
                            }
                            logger.notice("subscribed to the noit", metadata: ["subscriber": "\(subscriber)", "checkpoint": "\(checkpoint)"])
                        case .store(let batch):
                            storage.append(stage(batch))
                        case .close(let reason):
                            logger.warning("feed connection closed", metadata: ["reason": "\(reason)"])
                            return
                        }
                    }
                    switch await iterator.next() {
                    case .frame(let frame):
                        pending = machine.received(frame)
                    case .stored(let last):
                        pending = machine.stored(through: last)
                    case .ended(let error?):
                        if error is CancellationError { throw error }
                        logger.warning("feed connection failed", metadata: ["error": "\(error)"])
                        return
                    case .ended(nil), nil:
                        logger.info("the noit closed the feed connection")
                        return
                    }
                }
            }
        }
        return accepted
    }

    private enum SessionEvent: Sendable {
        case frame(FeedFrame)
        case stored(through: UInt64)
        /// The connection (or storage) ended, with its error if any.
        case ended((any Error)?)
    }

    /// A received batch, parsed and ready for storage.
    private struct StagedBatch: Sendable {
        var records: StagedRecords
        var last: UInt64
        var lost: UInt64
    }

    private func stage(_ batch: FeedBatch) -> StagedBatch {
        var staged = StagedRecords()
        for record in batch.records { staged.append(sequence: record.sequence, line: record.payload) }
        for rejected in staged.rejected {
            logger.error("skipping a record that does not parse", metadata: ["sequence": "\(rejected.sequence)", "reason": "\(rejected.reason)"])
        }
        if batch.lost > 0 {
            logger.error("the noit lost records before this batch to its disk cap", metadata: ["lost": "\(batch.lost)"])
        }
        // The client machine refuses empty batches, so there is a last record.
        return StagedBatch(records: staged, last: batch.lastSequence ?? 0, lost: batch.lost)
    }

    /// Stores batches that queued up together in one transaction.
    private func store(_ batches: [StagedBatch]) async throws {
        var staged = batches[0].records
        for batch in batches.dropFirst() { staged.append(contentsOf: batch.records) }
        try await archive.ingest(noit: settings.name, records: staged)
        if staged.isBacklog { backlog?.largeBatchStored(at: .now) }
        recordLag(staged.completions)
        live?.publish(staged.records)
        alerts?.committed(noit: settings.name, records: staged.records)
        state.withLock {
            $0.checkpoint = batches[batches.count - 1].last
            $0.recordsStored += UInt64(staged.count)
            $0.batchesStored += UInt64(batches.count)
            $0.recordsRejected += UInt64(staged.rejected.count)
            $0.recordsLost += batches.reduce(0) { $0 + $1.lost }
        }
    }

    /// Adds a committed batch's lags and logs the interval's figures once it is over.
    private func recordLag(_ completions: [Int64]) {
        let now = settings.wallClockMilliseconds()
        let intervalMilliseconds = Int64(settings.statisticsInterval.components.seconds * 1000)
            + Int64(settings.statisticsInterval.components.attoseconds / 1_000_000_000_000_000)
        let records = state.withLock { status in
            if let oldest = completions.min() {
                let (lag, overflow) = now.subtractingReportingOverflow(oldest)
                status.lastBatchLagMilliseconds = overflow ? .max : max(0, lag)
            }
            return status.recordsStored
        }
        let report: (IngestLag.Summary, UInt64)? = lag.withLock { report in
            report.lag.record(completions: completions, committedAt: now)
            guard let start = report.intervalStart else {
                report.intervalStart = now
                report.recordsAtIntervalStart = records
                return nil
            }
            guard now - start >= intervalMilliseconds else { return nil }
            let summary = report.lag.takeInterval()
            let stored = records - report.recordsAtIntervalStart
            report.intervalStart = now
            report.recordsAtIntervalStart = records
            return (summary, stored)
        }
        if let (summary, stored) = report {
            logger.info("feed statistics", metadata: [
                "records": "\(stored)", "statuses": "\(summary.count)",
                "lag_p50_ms": "\(summary.p50Milliseconds)", "lag_p99_ms": "\(summary.p99Milliseconds)",
                "lag_max_ms": "\(summary.maxMilliseconds)",
            ])
        }
    }
}
