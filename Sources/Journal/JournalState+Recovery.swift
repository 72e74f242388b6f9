#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging

extension JournalState {
    /// Opens the segments in `segmentsDirectory`: finds where each ends, cuts a torn tail off the
    /// last two (the older may have been waiting for its seal, see `SealingSegment`), and opens (or creates) the segment that takes the next append.
    ///
    /// `checkpoints` matter because a crash can lose an unsynced tail that a subscriber had already
    /// read and acknowledged; sequence numbers then continue after the highest checkpoint, so no
    /// number is ever handed out twice.
    static func open(
        configuration: JournalConfiguration, segmentsDirectory: String, checkpoints: [String: UInt64], logger: Logger
    ) throws -> JournalState {
        var firstSequences = [UInt64]()
        for name in try FileSystem.contents(of: segmentsDirectory) {
            if let first = Segment.firstSequence(fromFileName: name) {
                firstSequences.append(first)
            } else {
                logger.warning(
                    "ignoring a file that is not a journal segment",
                    metadata: ["path": "\(segmentsDirectory)/\(name)"])
            }
        }
        firstSequences.sort()

        var segments = [Segment]()
        var torn: Int64 = 0
        for (position, first) in firstSequences.enumerated() {
            let isLast = position == firstSequences.count - 1
            // A crash may have come before the segment ahead of the open one was sealed: its tail
            // may be torn, or even a hole inside it, so it is checked line by line like the last.
            let mayBeUnsealed = position == firstSequences.count - 2
            var segment = Segment(firstSequence: first, lastSequence: first - 1, bytes: 0, directory: segmentsDirectory)
            segment.bytes = try FileSystem.size(of: segment.path)
            if isLast || mayBeUnsealed {
                torn += try recoverTail(of: &segment, logger: logger)
            } else if segment.bytes > 0, let last = try lastSequence(ofClosed: segment) {
                segment.lastSequence = last
            } else if segment.bytes > 0 {
                // Older segments were sealed before the next roll, so this is damage
                // beyond a torn write; keep what still checks out.
                logger.error("a closed journal segment has a damaged end; scanning it", metadata: ["path": "\(segment.path)"])
                torn += try recoverTail(of: &segment, logger: logger)
            }
            if !isLast && segment.isEmpty {
                try FileSystem.remove(segment.path)
                logger.notice("removed an empty closed journal segment", metadata: ["path": "\(segment.path)"])
                continue
            }
            if let previous = segments.last, segment.firstSequence <= previous.lastSequence {
                throw JournalError.corruptRecord(
                    path: segment.path, offset: 0,
                    reason: "segment starts at \(segment.firstSequence) but \(previous.path) ends at \(previous.lastSequence)")
            }
            segments.append(segment)
        }

        let lastOnDisk = segments.last.map(\.lastSequence) ?? 0
        let highestCheckpoint = checkpoints.values.max() ?? 0
        let nextSequence = max(lastOnDisk, highestCheckpoint) + 1
        if highestCheckpoint > lastOnDisk {
            logger.warning(
                "subscribers acknowledged records that are no longer on disk (an unsynced tail was lost); sequences continue after them",
                metadata: ["last-on-disk": "\(lastOnDisk)", "highest-checkpoint": "\(highestCheckpoint)"])
        }

        var mustRoll = false
        let appendFile: POSIXFile
        if let last = segments.last, !(last.isEmpty && last.firstSequence != nextSequence) {
            appendFile = try POSIXFile.open(last.path, flags: O_WRONLY | O_APPEND)
            mustRoll = !last.isEmpty && last.lastSequence + 1 != nextSequence
            // A previous process may have been killed with written but unsynced lines; make what
            // was recovered durable before building on it.
            do {
                try appendFile.sync()
            } catch {
                appendFile.close()
                throw error
            }
        } else {
            if let stale = segments.popLast() { try FileSystem.remove(stale.path) }
            let segment = Segment(
                firstSequence: nextSequence, lastSequence: nextSequence - 1, bytes: 0, directory: segmentsDirectory)
            appendFile = try POSIXFile.open(segment.path, flags: O_WRONLY | O_CREAT | O_EXCL | O_APPEND)
            do {
                try FileSystem.syncDirectory(segmentsDirectory)
            } catch {
                appendFile.close()
                throw error
            }
            segments.append(segment)
        }

        return JournalState(
            configuration: configuration, segmentsDirectory: segmentsDirectory, segments: segments,
            appendFile: appendFile, nextSequence: nextSequence, mustRoll: mustRoll,
            subscribers: checkpoints.mapValues { SubscriberState(checkpoint: $0) }, tornBytesTruncated: torn)
    }

    /// Keeps the longest prefix of complete, checksummed, consecutively numbered lines and cuts
    /// the rest off the file (made durable with fsync). Returns the number of bytes cut.
    static func recoverTail(of segment: inout Segment, logger: Logger) throws -> Int64 {
        let file = try POSIXFile.open(segment.path, flags: O_RDWR)
        defer { file.close() }
        let size = try file.size()
        var reader = SegmentLineReader(file: file, from: 0, to: size, chunkSize: 1 << 20)
        var expected = segment.firstSequence
        var goodEnd: Int64 = 0
        var problem = ""
        scanning: while true {
            switch try reader.next() {
            case .end:
                break scanning
            case .incomplete:
                problem = "incomplete line"
                break scanning
            case .line(_, let range):
                let parsed = reader.buffer.withUnsafeBufferPointer {
                    JournalLine.parse(UnsafeBufferPointer(rebasing: $0[range]), verifyChecksum: true)
                }
                guard case .valid(let sequence, _) = parsed else {
                    if case .invalid(let reason) = parsed { problem = reason }
                    break scanning
                }
                guard sequence == expected else {
                    problem = "sequence \(sequence) where \(expected) was expected"
                    break scanning
                }
                expected += 1
                goodEnd = reader.offset
            }
        }
        segment.lastSequence = expected - 1
        segment.bytes = goodEnd
        guard goodEnd < size else { return 0 }
        try file.truncate(to: goodEnd)
        try file.sync()
        logger.warning(
            "truncated a torn journal segment tail",
            metadata: [
                "path": "\(segment.path)", "bytes-cut": "\(size - goodEnd)", "offset": "\(goodEnd)",
                "reason": "\(problem)", "last-sequence": "\(segment.lastSequence)",
            ])
        return size - goodEnd
    }

    /// The sequence of a closed segment's last line, read from its end; nil when that line is not
    /// intact. Reading backwards keeps opening a large journal from reading every segment whole.
    static func lastSequence(ofClosed segment: Segment) throws -> UInt64? {
        try POSIXFile.withReadOnly(segment.path) { file -> UInt64? in
            var window: Int64 = 4096
            while true {
                let start = max(0, segment.bytes - window)
                var bytes = [UInt8](repeating: 0, count: Int(segment.bytes - start))
                let count = try bytes.withUnsafeMutableBytes { buffer in
                    try file.read(into: buffer, at: start)
                }
                guard count == bytes.count, bytes.last == JournalLine.newline else { return nil }
                let lineEnd = bytes.count - 1
                let lineStart: Int
                if let newline = bytes[..<lineEnd].lastIndex(of: JournalLine.newline) {
                    lineStart = newline + 1
                } else if start == 0 {
                    lineStart = 0
                } else {
                    window *= 2
                    continue
                }
                let parsed = bytes.withUnsafeBufferPointer {
                    JournalLine.parse(UnsafeBufferPointer(rebasing: $0[lineStart..<lineEnd]), verifyChecksum: true)
                }
                guard case .valid(let sequence, _) = parsed, sequence >= segment.firstSequence else { return nil }
                return sequence
            }
        }
    }
}
