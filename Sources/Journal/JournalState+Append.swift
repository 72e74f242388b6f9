#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging

extension JournalState {
    /// Encodes the whole batch into one buffer and writes it with one write(2), so a batch costs
    /// one system call however many records it holds.
    mutating func append(_ payloads: [String], logger: Logger) throws -> ClosedRange<UInt64>? {
        try checkOpen()
        if let appendFailure { throw appendFailure }
        guard !payloads.isEmpty else { return nil }
        var capacity = 0
        for (index, payload) in payloads.enumerated() {
            if JournalLine.containsLineBreak(payload) { throw JournalError.payloadContainsNewline(index: index) }
            capacity += payload.utf8.count + JournalLine.maximumOverhead
        }
        let first = nextSequence
        let last = first + UInt64(payloads.count - 1)
        var buffer = [UInt8]()
        buffer.reserveCapacity(capacity)
        for (index, payload) in payloads.enumerated() {
            JournalLine.encode(sequence: first + UInt64(index), payload: payload, into: &buffer)
        }

        try rollIfNeeded(adding: Int64(buffer.count), firstSequence: first)
        guard let file = appendFile else { throw JournalError.closed }
        let index = segments.count - 1
        let sizeBefore = segments[index].bytes
        do {
            try buffer.withUnsafeBytes { bytes in try file.writeAll(bytes) }
        } catch {
            takeBackPartialWrite(file: file, size: sizeBefore, cause: error, logger: logger)
            throw error
        }
        segments[index].bytes += Int64(buffer.count)
        segments[index].lastSequence = last
        nextSequence = last + 1
        unsyncedBytes += Int64(buffer.count)
        if configuration.fsyncIntervalMilliseconds == 0 { try syncAppendFile() }
        enforceDiskCap(logger: logger)
        return first...last
    }

    /// A failed write may have left part of the batch in the file. It must go: lines of a batch
    /// reported as failed would otherwise be replayed after a restart, under sequence numbers that
    /// the next batch reuses. If even that fails, appending stops rather than risk it.
    private mutating func takeBackPartialWrite(file: POSIXFile, size: Int64, cause: any Error, logger: Logger) {
        do {
            try file.truncate(to: size)
        } catch {
            logger.critical(
                "journal cannot undo a failed write; refusing further appends",
                metadata: ["path": "\(file.path)", "write-error": "\(cause)", "truncate-error": "\(error)"])
            file.close()
            appendFile = nil
            appendFailure = error
        }
    }

    /// Starts a new segment when the open one already holds records and this write would take it
    /// past `segmentBytes`, or when sequences must jump.
    ///
    /// Only the new file is made here; the fsyncs of the segment left behind and of the directory
    /// wait for the next sync (see `SealingSegment`), so a roll costs an append one open(2), not
    /// two fsyncs. With `fsyncIntervalMilliseconds == 0` the append's own sync seals it at once.
    private mutating func rollIfNeeded(adding count: Int64, firstSequence: UInt64) throws {
        let current = segments[segments.count - 1]
        guard current.bytes > 0, mustRoll || current.bytes + count > Int64(configuration.segmentBytes) else { return }
        // Recovery scans only the last two segments whole, so at most one may wait for its seal.
        try sealPendingSegment()
        guard let previous = appendFile else { throw JournalError.closed }
        let segment = Segment(
            firstSequence: firstSequence, lastSequence: firstSequence - 1, bytes: 0, directory: segmentsDirectory)
        let file = try POSIXFile.open(segment.path, flags: O_WRONLY | O_CREAT | O_EXCL | O_APPEND)
        sealing = SealingSegment(file: previous, unsyncedBytes: unsyncedBytes)
        unsyncedBytes = 0
        appendFile = file
        segments.append(segment)
        mustRoll = false
    }
}
