/// Where and how the node journals its records (`<journal>`).
public struct JournalSettings: Sendable, Equatable {
    /// The journal directory. A relative path in a config loaded from a file is resolved against
    /// that file's directory. Default `"journal"`.
    public var path: String
    /// Size at which a segment is closed and a new one started. Default 16 MiB.
    public var segmentBytes: Int64
    /// How often appended records are forced to disk. Default 1000 ms.
    public var fsyncIntervalMilliseconds: Int64
    /// Total size beyond which the oldest segments are dropped. Default 1 GiB.
    public var maxBytes: Int64

    public static let defaultPath = "journal"
    public static let defaultSegmentBytes: Int64 = 16 * 1024 * 1024
    public static let defaultFsyncIntervalMilliseconds: Int64 = 1000
    public static let defaultMaxBytes: Int64 = 1024 * 1024 * 1024

    public init(
        path: String = JournalSettings.defaultPath,
        segmentBytes: Int64 = JournalSettings.defaultSegmentBytes,
        fsyncIntervalMilliseconds: Int64 = JournalSettings.defaultFsyncIntervalMilliseconds,
        maxBytes: Int64 = JournalSettings.defaultMaxBytes
    ) {
        self.path = path
        self.segmentBytes = segmentBytes
        self.fsyncIntervalMilliseconds = fsyncIntervalMilliseconds
        self.maxBytes = maxBytes
    }
}
