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
    /// The segment the last roll left, until its fsync and the directory's are done.
    var sealing: SealingSegment?
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

    /// Unsynced bytes of the open segment and of a segment still waiting for its seal.
    var pendingBytes: Int64 { unsyncedBytes + (sealing?.unsyncedBytes ?? 0) }

    /// fsyncs the open segment if anything was written since the last fsync, after sealing the
    /// segment before it if that is still pending (its records come first).
    mutating func syncAppendFile() throws {
        try sealPendingSegment()
        guard unsyncedBytes > 0, let file = appendFile else { return }
        try file.sync()
        unsyncedBytes = 0
        syncCount += 1
    }

    /// Finishes a pending roll here and now: fsyncs the segment left behind and the directory
    /// (which makes the open segment's file durable), then closes the old descriptor.
    mutating func sealPendingSegment() throws {
        guard let pending = sealing else { return }
        try pending.file.sync()
        try FileSystem.syncDirectory(segmentsDirectory)
        pending.file.close()
        sealing = nil
        syncCount += 1
    }

    /// A periodic fsync taken outside the lock: duplicates of the descriptors to sync and how
    /// many unsynced bytes each covers.
    struct PendingSync {
        /// The segment left by a roll, sealed first (its data, then the directory).
        let seal: (file: POSIXFile, bytes: Int64)?
        /// The open segment.
        let file: POSIXFile?
        let segmentPath: String?
        let bytes: Int64
        let segmentsDirectory: String

        func close() {
            seal?.file.close()
            file?.close()
        }
    }

    /// Starts a due periodic sync. The fsyncs themselves run outside the lock, so that appends
    /// (from the scheduler's event loop) never wait for the disk. A segment waiting for its seal
    /// makes the sync due at once, whatever the interval.
    mutating func beginSyncIfDue(now: ContinuousClock.Instant) throws -> PendingSync? {
        if sealing == nil {
            guard unsyncedBytes > 0, appendFile != nil else { return nil }
            if let last = lastSyncAt, now - last < .milliseconds(configuration.fsyncIntervalMilliseconds) { return nil }
        }
        let seal = try sealing.map { (file: try Self.duplicate($0.file), bytes: $0.unsyncedBytes) }
        var open: POSIXFile?
        if unsyncedBytes > 0, let file = appendFile {
            do {
                open = try Self.duplicate(file)
            } catch {
                seal?.file.close()
                throw error
            }
        }
        lastSyncAt = now
        return PendingSync(
            seal: seal, file: open, segmentPath: open?.path, bytes: open == nil ? 0 : unsyncedBytes,
            segmentsDirectory: segmentsDirectory)
    }

    private static func duplicate(_ file: POSIXFile) throws -> POSIXFile {
        let duplicate = dup(file.descriptor)
        guard duplicate >= 0 else { throw JournalError.io(operation: "dup", path: file.path, errno: errno) }
        return POSIXFile(descriptor: duplicate, path: file.path)
    }

    /// Counts a finished seal, before the open segment's fsync: from here on a later sync of
    /// the open segment may be reported, because everything before it is durable.
    mutating func finishSeal(_ pending: PendingSync) {
        guard let seal = pending.seal else { return }
        syncCount += 1
        // A concurrent sync() or a second roll may have sealed it already.
        guard let current = sealing, current.file.path == seal.file.path else { return }
        current.file.close()
        sealing = nil
    }

    /// Counts a finished periodic sync. Bytes appended meanwhile stay unsynced; if the segment
    /// rolled meanwhile, the new segment's bytes are not covered, and the synced bytes come off
    /// what the old one still owes its seal.
    mutating func finishSync(_ pending: PendingSync) {
        guard pending.file != nil else { return }
        syncCount += 1
        if appendFile?.path == pending.segmentPath {
            unsyncedBytes = max(0, unsyncedBytes - pending.bytes)
        } else if var left = sealing, left.file.path == pending.segmentPath {
            left.unsyncedBytes = max(0, left.unsyncedBytes - pending.bytes)
            sealing = left
        }
    }

    mutating func close() throws {
        guard let file = appendFile else {
            sealing?.file.close()
            sealing = nil
            appendFailure = nil
            return
        }
        defer {
            sealing?.file.close()
            sealing = nil
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
            unsyncedBytes: pendingBytes, syncCount: syncCount, positionScans: positionScans)
    }
}
