import Logging

extension JournalState {
    /// Takes out of the journal every segment that all subscribers have read past, except the open
    /// one, and returns them so the caller can delete the files outside the lock. Without
    /// subscribers nothing is taken: the disk cap is then the only limit.
    mutating func detachPassedSegments() -> [Segment] {
        // The slowest checkpoint decides: a segment taken out while any subscriber still needs a
        // record of it would make that subscriber's next read report the records as lost.
        guard let minimum = subscribers.values.lazy.map(\.checkpoint).min() else { return [] }
        var passed = 0
        while passed < segments.count - 1, segments[passed].lastSequence <= minimum { passed += 1 }
        let detached = Array(segments[..<passed])
        segments.removeFirst(passed)
        removedSegments += UInt64(passed)
        return detached
    }

    /// Drops the oldest segments while the journal is over its disk cap, whoever has read them.
    /// Subscribers find out at their next read, through `lostBeforeBatch`.
    mutating func enforceDiskCap(logger: Logger) {
        var total = totalBytes
        while segments.count > 1, total > configuration.maxBytes {
            let dropped = segments.removeFirst()
            total -= dropped.bytes
            droppedSegments += 1
            droppedRecords += dropped.recordCount
            do {
                try FileSystem.remove(dropped.path)
            } catch {
                // The file stays behind but out of the journal; the next open picks it up again.
                logger.error("could not delete a journal segment over the disk cap", metadata: ["error": "\(error)"])
            }
            let unread = subscribers.filter { $0.value.checkpoint < dropped.lastSequence }.keys.sorted()
            let metadata: Logger.Metadata = [
                "segment": "\(dropped.path)",
                "first-sequence": "\(dropped.firstSequence)",
                "last-sequence": "\(dropped.lastSequence)",
                "max-bytes": "\(configuration.maxBytes)",
                "unread-by": .array(unread.map { .string($0) }),
            ]
            if unread.isEmpty {
                logger.warning("journal over its disk cap; dropped a segment no subscriber needed", metadata: metadata)
            } else {
                logger.error(
                    "journal over its disk cap; dropped a segment with records unread by \(unread.joined(separator: ", "))",
                    metadata: metadata)
            }
        }
    }
}
