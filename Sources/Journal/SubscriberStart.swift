/// Where a new subscriber's checkpoint is placed.
public enum SubscriberStart: Sendable, Hashable {
    /// Before the oldest record still on disk: the subscriber reads everything the journal kept.
    case beginning
    /// At the last appended record: the subscriber reads only what is appended from now on.
    case end
}
