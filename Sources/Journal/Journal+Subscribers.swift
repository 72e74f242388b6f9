import Logging

extension Journal {
    /// Adds a subscriber whose checkpoint starts at `startingAt`. Idempotent: an existing
    /// subscriber keeps its checkpoint, whatever `startingAt` says.
    public func addSubscriber(_ name: String, startingAt start: SubscriberStart) throws {
        guard SubscriberName.isValid(name) else { throw JournalError.invalidSubscriberName(name) }
        try checkpoints.withLock { store in
            let checkpoint = try state.withLock { state -> UInt64? in
                try state.checkOpen()
                return state.subscribers[name] == nil ? state.startingCheckpoint(start) : nil
            }
            guard let checkpoint else { return }
            try store.write(name, checkpoint: checkpoint)
            state.withLock { $0.subscribers[name] = SubscriberState(checkpoint: checkpoint) }
            logger.info("journal subscriber added", metadata: ["subscriber": "\(name)", "checkpoint": "\(checkpoint)"])
        }
    }

    /// Removes a subscriber and its checkpoint file; segments only it was holding back are deleted.
    public func removeSubscriber(_ name: String) throws {
        try checkpoints.withLock { store in
            try state.withLock { state in
                try state.checkOpen()
                guard state.subscribers[name] != nil else { throw JournalError.unknownSubscriber(name) }
            }
            try store.remove(name)
            let passed = state.withLock { state in
                state.subscribers[name] = nil
                return state.detachPassedSegments()
            }
            deleteFiles(of: passed)
            logger.info("journal subscriber removed", metadata: ["subscriber": "\(name)"])
        }
    }

    /// Every subscriber with its checkpoint and lag, sorted by name.
    public func subscribers() -> [SubscriberStatus] {
        state.withLock { $0.statuses() }
    }

    /// Records with sequence numbers above the subscriber's checkpoint, in order: at most
    /// `maxRecords` (at least 1 is assumed) and at most `maxBytes` of payload UTF-8, except that
    /// the first available record is always included however large it is. An empty batch means
    /// the subscriber is caught up. Reading does not move the checkpoint, except past records
    /// that were lost (see `JournalBatch.lostBeforeBatch`); call `advance` after processing.
    ///
    /// `after` reads on from a later record than the checkpoint: the end of batches already
    /// handed out and not yet acknowledged. Lost records found then do not move the
    /// checkpoint (that would acknowledge those batches); they are reported with the batch.
    public func readBatch(for subscriber: String, after: UInt64? = nil, maxRecords: Int, maxBytes: Int) throws -> JournalBatch {
        let read = try state.withLock { state in
            try state.readBatch(for: subscriber, after: after, maxRecords: maxRecords, maxBytes: maxBytes)
        }
        if let skip = read.skipCheckpointTo {
            try skipLostRecords(of: subscriber, to: skip, lost: read.batch.lostBeforeBatch)
        }
        return read.batch
    }

    /// Acknowledges every record up to and including `sequence`: the checkpoint is written durably
    /// (temporary file, fsync, rename, directory fsync) before this returns. Going backwards or
    /// past `lastSequence` throws `JournalError.checkpointOutOfRange`. Afterwards every segment
    /// that all subscribers have passed is deleted.
    public func advance(_ subscriber: String, to sequence: UInt64) throws {
        try checkpoints.withLock { store in
            let changes = try state.withLock { state in
                try state.validateAdvance(subscriber, to: sequence)
            }
            guard changes else { return }
            try store.write(subscriber, checkpoint: sequence)
            let passed = state.withLock { state in
                state.subscribers[subscriber]?.checkpoint = sequence
                return state.detachPassedSegments()
            }
            deleteFiles(of: passed)
        }
    }

    /// Moves a checkpoint over records that are gone, so each loss is reported exactly once.
    private func skipLostRecords(of subscriber: String, to sequence: UInt64, lost: UInt64) throws {
        try checkpoints.withLock { store in
            // An advance may have raced ahead, or the subscriber been removed, since the read.
            let stillBehind = state.withLock { state in
                state.subscribers[subscriber].map { $0.checkpoint < sequence } ?? false
            }
            guard stillBehind else { return }
            try store.write(subscriber, checkpoint: sequence)
            state.withLock { state in
                if let checkpoint = state.subscribers[subscriber]?.checkpoint, checkpoint < sequence {
                    state.subscribers[subscriber]?.checkpoint = sequence
                }
            }
            logger.error(
                "journal subscriber lost records it never read",
                metadata: ["subscriber": "\(subscriber)", "lost": "\(lost)", "checkpoint": "\(sequence)"])
        }
    }

    /// Deletes segment files already taken out of the journal; outside the state lock because
    /// unlinking a large file can take a while.
    private func deleteFiles(of segments: [Segment]) {
        for segment in segments {
            do {
                try FileSystem.remove(segment.path)
                logger.debug(
                    "removed a journal segment every subscriber had read",
                    metadata: ["path": "\(segment.path)", "last-sequence": "\(segment.lastSequence)"])
            } catch {
                logger.error("could not remove a journal segment", metadata: ["error": "\(error)"])
            }
        }
    }
}
