import Logging
import Synchronization

/// A durable, segmented, multi-subscriber journal of text records.
///
/// Records are appended in batches, numbered consecutively from 1, and kept in segment files until
/// every subscriber has acknowledged them (or the disk cap forces them out). Each subscriber reads
/// batches after its own checkpoint, which survives restarts.
///
/// Durability contract: with `fsyncIntervalMilliseconds == 0` a record is on stable storage when
/// `append` returns; otherwise once `sync`/`syncIfDue` has fsynced it. A crash can only lose the
/// unsynced tail, which is detected by checksums and cut off on the next open.
///
/// Thread safety: every method may be called from any thread. Appends, reads and bookkeeping share
/// one lock; checkpoint files are written under a second lock so that their fsyncs do not hold up
/// appends. Reads and advances for one subscriber should come from one task at a time, since a
/// batch is only meaningful relative to the checkpoint it was read after.
public final class Journal: Sendable {
    public let configuration: JournalConfiguration
    let logger: Logger
    let state: Mutex<JournalState>
    /// Guards the checkpoint files. Taken before `state`, never while holding it.
    let checkpoints: Mutex<CheckpointStore>

    /// Opens the journal in `configuration.directory`, creating it if needed: recovers the last
    /// segment (cutting off a torn tail), loads every subscriber's checkpoint, and applies the disk cap.
    public init(configuration: JournalConfiguration, logger: Logger) throws {
        try configuration.validate()
        var logger = logger
        logger[metadataKey: "journal"] = "\(configuration.directory)"
        let segmentsDirectory = configuration.directory + "/segments"
        let subscribersDirectory = configuration.directory + "/subscribers"
        try FileSystem.ensureDirectory(segmentsDirectory)
        try FileSystem.ensureDirectory(subscribersDirectory)
        let store = CheckpointStore(directory: subscribersDirectory)
        var state = try JournalState.open(
            configuration: configuration, segmentsDirectory: segmentsDirectory,
            checkpoints: try store.load(logger: logger), logger: logger)
        state.enforceDiskCap(logger: logger)
        self.configuration = configuration
        self.logger = logger
        self.state = Mutex(state)
        self.checkpoints = Mutex(store)
    }

    deinit {
        // Only the descriptor: whoever wanted the data synced called close().
        state.withLock { state in
            state.appendFile?.close()
            state.sealing?.file.close()
        }
    }

    /// The CRC-32 (IEEE) that guards every record line.
    public static func crc32(_ bytes: some Sequence<UInt8>) -> UInt32 {
        CRC32.checksum(bytes)
    }

    /// Appends the payloads as consecutive records with a single write(2) and returns their
    /// sequence numbers (nil for an empty array). A payload containing "\n" or "\r" is rejected
    /// with `JournalError.payloadContainsNewline` before anything is written. If the write fails,
    /// none of the batch stays in the journal.
    @discardableResult
    public func append(_ payloads: [String]) throws -> ClosedRange<UInt64>? {
        try state.withLock { state in try state.append(payloads, logger: logger) }
    }

    /// fsyncs the open segment now if anything is unsynced, sealing a segment left by a roll first.
    public func sync() throws {
        try state.withLock { state in try state.syncAppendFile() }
    }

    /// fsyncs the open segment if something is unsynced and `fsyncIntervalMilliseconds` have passed
    /// since the last sync made by this method (the first call with unsynced bytes always syncs).
    /// A segment left by a roll is sealed first (its data and the directory), whatever the interval.
    /// The owner supplies the clock so that it can call this from its own timer or event loop.
    /// The fsyncs run outside the lock: appends go on meanwhile.
    public func syncIfDue(now: ContinuousClock.Instant) throws {
        guard let pending = try state.withLock({ state in try state.beginSyncIfDue(now: now) }) else { return }
        defer { pending.close() }
        if let seal = pending.seal {
            try seal.file.sync()
            try FileSystem.syncDirectory(pending.segmentsDirectory)
            state.withLock { state in state.finishSeal(pending) }
        }
        if let file = pending.file {
            try file.sync()
            state.withLock { state in state.finishSync(pending) }
        }
    }

    /// The sequence of the last appended record; 0 for a journal that never had one.
    public var lastSequence: UInt64 {
        state.withLock { $0.lastSequence }
    }

    public func statistics() -> JournalStatistics {
        state.withLock { $0.statistics() }
    }

    /// Syncs and closes the open segment. Every later call except `statistics`, `subscribers` and
    /// `lastSequence` throws `JournalError.closed`. Closing twice is harmless.
    public func close() throws {
        try state.withLock { state in try state.close() }
    }
}
