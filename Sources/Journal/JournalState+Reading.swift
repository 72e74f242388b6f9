extension JournalState {
    /// A batch and, when the subscriber lost records, the checkpoint that skips them. The caller
    /// persists that checkpoint before handing out the batch.
    struct BatchRead: Sendable {
        var batch: JournalBatch
        var skipCheckpointTo: UInt64?
    }

    mutating func readBatch(for name: String, after: UInt64? = nil, maxRecords: Int, maxBytes: Int) throws -> BatchRead {
        try checkOpen()
        guard let subscriber = subscribers[name] else { throw JournalError.unknownSubscriber(name) }
        let readingAhead = (after ?? 0) > subscriber.checkpoint
        let wanted = max(subscriber.checkpoint, after ?? 0) + 1
        guard wanted <= lastSequence else {
            return BatchRead(batch: JournalBatch(records: [], lostBeforeBatch: 0, lastSequence: nil), skipCheckpointTo: nil)
        }
        guard let (segmentIndex, start) = try locate(wanted, subscriber: subscriber) else {
            // Everything after the checkpoint is gone: the tail lost in a crash, past the last record on disk.
            return BatchRead(
                batch: JournalBatch(records: [], lostBeforeBatch: lastSequence - (wanted - 1), lastSequence: nil),
                skipCheckpointTo: readingAhead ? nil : lastSequence)
        }

        var records = [JournalEntry]()
        var budget = ReadBudget(maxRecords: max(1, maxRecords), maxBytes: maxBytes)
        var position = start
        var index = segmentIndex
        while true {
            position.offset = try readRecords(from: segments[index], at: position, into: &records, budget: &budget)
            position.sequence = start.sequence + UInt64(records.count)
            if budget.isExhausted || index + 1 == segments.count { break }
            // A batch never spans lost records, so that `lostBeforeBatch` can say where they were.
            guard segments[index + 1].firstSequence == position.sequence else { break }
            index += 1
            position = ReadPosition(segmentFirstSequence: segments[index].firstSequence, offset: 0, sequence: position.sequence)
        }

        subscribers[name]?.batchStart = start
        subscribers[name]?.batchEnd = position
        let lost = start.sequence - wanted
        return BatchRead(
            batch: JournalBatch(records: records, lostBeforeBatch: lost, lastSequence: records.last?.sequence),
            skipCheckpointTo: lost > 0 && !readingAhead ? start.sequence - 1 : nil)
    }

    /// How much more a batch may take. The first record is always taken, however large.
    struct ReadBudget {
        var maxRecords: Int
        var maxBytes: Int
        var records = 0
        var bytes = 0
        var isExhausted = false

        mutating func admits(payloadBytes: Int) -> Bool {
            guard records < maxRecords, records == 0 || bytes + payloadBytes <= maxBytes else {
                isExhausted = true
                return false
            }
            records += 1
            bytes += payloadBytes
            if records == maxRecords { isExhausted = true }
            return true
        }
    }

    /// Reads consecutive records starting at `position` until the budget or the segment ends;
    /// returns the offset after the last record read. Every line is checksummed: a bad one here is
    /// damage to data that was once fsynced, so it is an error, never skipped.
    private func readRecords(
        from segment: Segment, at position: ReadPosition, into records: inout [JournalEntry], budget: inout ReadBudget
    ) throws -> Int64 {
        guard position.offset < segment.bytes, !budget.isExhausted else { return position.offset }
        // Read about as much as the batch can take, within 4 KiB to 1 MiB; limits may be Int.max.
        let ceiling = 1 << 20
        let remainingRecords = budget.maxRecords - budget.records
        let framing = remainingRecords >= ceiling / JournalLine.maximumOverhead
            ? ceiling : remainingRecords * JournalLine.maximumOverhead
        let chunk = min(ceiling, min(ceiling, max(budget.maxBytes - budget.bytes, 0)) + framing)
        return try POSIXFile.withReadOnly(segment.path) { file in
            var reader = SegmentLineReader(file: file, from: position.offset, to: segment.bytes, chunkSize: chunk)
            var expected = position.sequence
            while true {
                switch try reader.next() {
                case .end:
                    return reader.offset
                case .incomplete(let offset):
                    throw JournalError.corruptRecord(path: segment.path, offset: offset, reason: "line has no newline")
                case .line(let offset, let range):
                    let entry = try reader.buffer.withUnsafeBufferPointer { bytes -> JournalEntry? in
                        let line = UnsafeBufferPointer(rebasing: bytes[range])
                        switch JournalLine.parse(line, verifyChecksum: true) {
                        case .invalid(let reason):
                            throw JournalError.corruptRecord(path: segment.path, offset: offset, reason: reason)
                        case .valid(let sequence, let payload):
                            guard sequence == expected else {
                                throw JournalError.corruptRecord(
                                    path: segment.path, offset: offset,
                                    reason: "found sequence \(sequence) where \(expected) was expected")
                            }
                            guard budget.admits(payloadBytes: payload.count) else { return nil }
                            return JournalEntry(
                                sequence: sequence,
                                payload: String(decoding: UnsafeBufferPointer(rebasing: line[payload]), as: UTF8.self))
                        }
                    }
                    guard let entry else { return offset }
                    records.append(entry)
                    expected += 1
                    if budget.isExhausted { return reader.offset }
                }
            }
        }
    }

    /// Finds the segment and byte offset of the first record at or after `wanted`, or nil when no
    /// such record is on disk. Tries the positions remembered from the subscriber's last batch
    /// before falling back to scanning.
    private mutating func locate(_ wanted: UInt64, subscriber: SubscriberState) throws -> (Int, ReadPosition)? {
        for remembered in [subscriber.batchEnd, subscriber.batchStart] {
            guard let remembered, remembered.sequence == wanted,
                let index = segmentIndex(firstSequence: remembered.segmentFirstSequence),
                remembered.offset < segments[index].bytes || index == segments.count - 1
            else { continue }
            return (index, remembered)
        }
        let index = firstSegmentIndex(endingAtOrAfter: wanted)
        guard index < segments.count, !segments[index].isEmpty else { return nil }
        let segment = segments[index]
        let target = max(wanted, segment.firstSequence)
        guard target > segment.firstSequence else {
            return (index, ReadPosition(segmentFirstSequence: segment.firstSequence, offset: 0, sequence: target))
        }
        positionScans += 1
        // Scan from the closest remembered position before the target, else from the segment start.
        let from = [subscriber.batchStart, subscriber.batchEnd]
            .compactMap { $0 }
            .filter { $0.segmentFirstSequence == segment.firstSequence && $0.sequence <= target }
            .max { $0.sequence < $1.sequence }
            ?? ReadPosition(segmentFirstSequence: segment.firstSequence, offset: 0, sequence: segment.firstSequence)
        return (index, try scan(segment, from: from, to: target))
    }

    /// Walks lines checking only framing and sequence numbers: every one will be checksummed when
    /// it is read, and these are skipped precisely because they are not wanted.
    private func scan(_ segment: Segment, from start: ReadPosition, to target: UInt64) throws -> ReadPosition {
        try POSIXFile.withReadOnly(segment.path) { file in
            var reader = SegmentLineReader(file: file, from: start.offset, to: segment.bytes, chunkSize: 1 << 20)
            var expected = start.sequence
            while true {
                switch try reader.next() {
                case .end:
                    throw JournalError.corruptRecord(
                        path: segment.path, offset: reader.offset, reason: "segment ends before sequence \(target)")
                case .incomplete(let offset):
                    throw JournalError.corruptRecord(path: segment.path, offset: offset, reason: "line has no newline")
                case .line(let offset, let range):
                    let parsed = reader.buffer.withUnsafeBufferPointer {
                        JournalLine.parse(UnsafeBufferPointer(rebasing: $0[range]), verifyChecksum: false)
                    }
                    guard case .valid(let sequence, _) = parsed, sequence == expected else {
                        throw JournalError.corruptRecord(
                            path: segment.path, offset: offset, reason: "expected sequence \(expected) while seeking")
                    }
                    if sequence == target {
                        return ReadPosition(segmentFirstSequence: segment.firstSequence, offset: offset, sequence: target)
                    }
                    expected += 1
                }
            }
        }
    }
}
