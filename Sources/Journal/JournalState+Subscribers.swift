extension JournalState {
    /// The checkpoint a new subscriber gets.
    func startingCheckpoint(_ start: SubscriberStart) -> UInt64 {
        switch start {
        case .end: lastSequence
        case .beginning: (segments.first(where: { !$0.isEmpty })?.firstSequence ?? nextSequence) - 1
        }
    }

    /// Throws unless `sequence` is a legal new checkpoint; returns false when it is the current one.
    func validateAdvance(_ name: String, to sequence: UInt64) throws -> Bool {
        try checkOpen()
        guard let subscriber = subscribers[name] else { throw JournalError.unknownSubscriber(name) }
        guard sequence >= subscriber.checkpoint, sequence <= lastSequence else {
            throw JournalError.checkpointOutOfRange(
                subscriber: name, requested: sequence, checkpoint: subscriber.checkpoint, lastSequence: lastSequence)
        }
        return sequence != subscriber.checkpoint
    }

    func statuses() -> [SubscriberStatus] {
        subscribers.map { name, subscriber in
            SubscriberStatus(name: name, checkpoint: subscriber.checkpoint, lag: lastSequence - subscriber.checkpoint)
        }.sorted { $0.name < $1.name }
    }
}
