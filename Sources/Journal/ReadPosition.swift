/// Where the record with `sequence` starts on disk: remembered per subscriber so that sequential
/// reading resumes at a byte offset instead of rescanning the segment.
struct ReadPosition: Sendable, Hashable {
    var segmentFirstSequence: UInt64
    var offset: Int64
    var sequence: UInt64
}
