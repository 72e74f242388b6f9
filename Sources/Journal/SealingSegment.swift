/// The segment a roll just left, while its data and the directory entry of its successor still
/// wait for their fsyncs.
///
/// Rolling used to fsync both inside `append`, on the scheduler's event loop, stalling every
/// check for tens of milliseconds once per segment. Now the roll only creates the next file and
/// leaves this behind; the next `syncIfDue`, `sync` or `close` finishes it (outside the lock for
/// `syncIfDue`). Until then the journal counts the segment's unsynced bytes as unsynced, and no
/// sync of the open segment is reported before this one is sealed, so "everything up to the last
/// sync is durable" still holds. At most one segment waits at a time: a roll that finds one
/// still waiting seals it first, inline. Recovery scans the last two segments whole, because
/// after a crash the older of them may have lost its tail.
struct SealingSegment: Sendable {
    /// The descriptor the segment was appended through, owned by the journal until the seal.
    let file: POSIXFile
    /// Bytes written to it since its last fsync.
    var unsyncedBytes: Int64
}
