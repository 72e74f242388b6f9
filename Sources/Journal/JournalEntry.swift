/// One record as read back: its sequence number and the payload it was appended with.
public struct JournalEntry: Sendable, Hashable {
    public var sequence: UInt64
    public var payload: String

    public init(sequence: UInt64, payload: String) {
        self.sequence = sequence
        self.payload = payload
    }
}
