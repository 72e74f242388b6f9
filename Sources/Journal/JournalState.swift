#if canImport(Glibc)
import Glibc
#endif
import Logging

/// Everything mutable about an open journal. It lives inside `Journal`'s mutex, so its methods
/// may assume exclusive access; they never block on anything but file I/O.
struct JournalState: ~Copyable {
    let configuration: JournalConfiguration
    let segmentsDirectory: String
    /// Oldest first. The last one is open for appending; there is always at least one.
    var segments: [Segment]
    /// The open segment's descriptor, nil once the journal is closed or appending failed for good.
    var appendFile: POSIXFile?
    /// Why appending stopped, when a failed write could not be taken back.
    var appendFailure: (any Error)?
    var nextSequence: UInt64
    /// The open segment cannot take `nextSequence` as its next line (a crash lost an acknowledged
    /// tail, so sequences jump): the next append starts a new segment.
    var mustRoll: Bool
    var subscribers: [String: SubscriberState]
    var unsyncedBytes: Int64 = 0
    /// When `syncIfDue` last synced; nil before the first time, which makes the first call due.
    var lastSyncAt: ContinuousClock.Instant?
    var droppedSegments: UInt64 = 0
    var droppedRecords: UInt64 = 0
    var removedSegments: UInt64 = 0
    var tornBytesTruncated: Int64
    var syncCount: UInt64 = 0
    var positionScans: UInt64 = 0

    init(
        configuration: JournalConfiguration, segmentsDirectory: String, segments: [Segment], appendFile: POSIXFile,
        nextSequence: UInt64, mustRoll: Bool, subscribers: [String: SubscriberState], tornBytesTruncated: Int64
    ) {
        self.configuration = configuration
        self.segmentsDirectory = segmentsDirectory
        self.segments = segments
        self.appendFile = appendFile
        self.nextSequence = nextSequence
        self.mustRoll = mustRoll
        self.subscribers = subscribers
        self.tornBytesTruncated = tornBytesTruncated
    }

    var lastSequence: UInt64 { nextSequence - 1 }

    var totalBytes: Int64 { segments.reduce(0) { $0 + $1.bytes } }

    var isClosed: Bool { appendFile == nil && appendFailure == nil }

    func checkOpen() throws {
        if isClosed { throw JournalError.closed }
    }

    /// fsyncs the open segment if anything was written since the last fsync.
    mutating func syncAppendFile() throws {
        guard unsyncedBytes > 0, let file = appendFile else { return }
        try file.sync()
        unsyncedBytes = 0
        syncCount += 1
    }

    /// A periodic fsync taken outside the lock: a duplicate of the open segment's descriptor and
    /// how many unsynced bytes it covers.
    struct PendingSync {
        let file: POSIXFile
        let segmentPath: String
        let bytes: Int64
    }

    /// Starts a due periodic sync. The fsync itself runs outside the lock, so that appends (from
    /// the scheduler's event loop) never wait for the disk.
    mutating func beginSyncIfDue(now: ContinuousClock.Instant) throws -> PendingSync? {
        guard unsyncedBytes > 0, let file = appendFile else { return nil }
        if let last = lastSyncAt, now - last < .milliseconds(configuration.fsyncIntervalMilliseconds) { return nil }
        let duplicate = dup(file.descriptor)
        guard duplicate >= 0 else { throw JournalError.io(operation: "dup", path: file.path, errno: errno) }
        lastSyncAt = now
        return PendingSync(file: POSIXFile(descriptor: duplicate, path: file.path), segmentPath: file.path, bytes: unsyncedBytes)
    }

    /// Counts a finished periodic sync. Bytes appended meanwhile stay unsynced; if the segment
    /// rolled meanwhile, the roll already synced it and the new segment's bytes are not covered.
    mutating func finishSync(_ pending: PendingSync) {
        syncCount += 1
        guard appendFile?.path == pending.segmentPath else { return }
        unsyncedBytes = max(0, unsyncedBytes - pending.bytes)
    }

    mutating func close() throws {
        guard let file = appendFile else {
            appendFailure = nil
            return
        }
        defer {
            file.close()
            appendFile = nil
            appendFailure = nil
        }
        try syncAppendFile()
    }

    /// Index of the segment whose first sequence is `firstSequence`, if it still exists.
    func segmentIndex(firstSequence: UInt64) -> Int? {
        let index = partitionIndex { $0.firstSequence >= firstSequence }
        return index < segments.count && segments[index].firstSequence == firstSequence ? index : nil
    }

    /// Index of the first segment whose last sequence is at least `sequence`; `segments.count` if none.
    /// Last sequences increase along the array (an empty segment's is its first minus one), so
    /// this is a binary search.
    func firstSegmentIndex(endingAtOrAfter sequence: UInt64) -> Int {
        partitionIndex { $0.lastSequence >= sequence }
    }

    private func partitionIndex(_ isInSecondPart: (Segment) -> Bool) -> Int {
        var low = 0
        var high = segments.count
        while low < high {
            let middle = (low + high) / 2
            if isInSecondPart(segments[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    func statistics() -> JournalStatistics {
        JournalStatistics(
            lastSequence: lastSequence, firstSequence: segments.first(where: { !$0.isEmpty })?.firstSequence,
            totalBytes: totalBytes, segmentCount: segments.count, droppedSegments: droppedSegments,
            droppedRecords: droppedRecords, removedSegments: removedSegments, tornBytesTruncated: tornBytesTruncated,
            unsyncedBytes: unsyncedBytes, syncCount: syncCount, positionScans: positionScans)
    }
}
