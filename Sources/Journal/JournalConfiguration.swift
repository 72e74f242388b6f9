/// Where a journal lives and how it trades durability, file size and disk use.
public struct JournalConfiguration: Sendable, Hashable {
    /// Holds `segments/` and `subscribers/`; created, with its parents, if missing.
    public var directory: String
    /// A segment is closed and a new one started before a write would take it past this size,
    /// so segments stay at or below it unless a single append is larger.
    public var segmentBytes: Int
    /// 0 fsyncs on every append. Otherwise appends are only written, and the owner bounds how long
    /// they stay unsynced by calling `syncIfDue(now:)` (or `sync()`) regularly.
    public var fsyncIntervalMilliseconds: Int
    /// Cap on the bytes of all segments. Past it the oldest segments are dropped even if some
    /// subscriber has not read them; the open segment is never dropped.
    public var maxBytes: Int64

    public init(
        directory: String,
        segmentBytes: Int = 16 << 20,
        fsyncIntervalMilliseconds: Int = 1000,
        maxBytes: Int64 = 1 << 30
    ) {
        self.directory = directory
        self.segmentBytes = segmentBytes
        self.fsyncIntervalMilliseconds = fsyncIntervalMilliseconds
        self.maxBytes = maxBytes
    }

    func validate() throws {
        guard !directory.isEmpty else { throw JournalError.invalidConfiguration("directory is empty") }
        guard segmentBytes > 0 else { throw JournalError.invalidConfiguration("segmentBytes must be positive, got \(segmentBytes)") }
        guard fsyncIntervalMilliseconds >= 0 else {
            throw JournalError.invalidConfiguration("fsyncIntervalMilliseconds must not be negative, got \(fsyncIntervalMilliseconds)")
        }
        guard maxBytes > 0 else { throw JournalError.invalidConfiguration("maxBytes must be positive, got \(maxBytes)") }
    }
}
