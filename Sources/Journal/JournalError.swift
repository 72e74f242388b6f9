#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything the journal can refuse or fail at. Each case carries enough to act on the message alone.
public enum JournalError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The named subscriber was never added, or was removed.
    case unknownSubscriber(String)
    /// Names become file names, so they are limited to `[A-Za-z0-9._-]{1,128}` and may not start with '.'.
    case invalidSubscriberName(String)
    /// A payload would split its record across lines; `index` is its position in the appended array.
    case payloadContainsNewline(index: Int)
    /// `advance` asked for a checkpoint behind the current one or past the last appended record.
    case checkpointOutOfRange(subscriber: String, requested: UInt64, checkpoint: UInt64, lastSequence: UInt64)
    /// A system call failed; `errno` is the raw value so callers can tell ENOSPC from EIO.
    case io(operation: String, path: String, errno: Int32)
    /// A record that was durably written no longer reads back intact.
    case corruptRecord(path: String, offset: Int64, reason: String)
    /// A checkpoint file does not hold a decimal sequence number.
    case corruptCheckpoint(path: String, content: String)
    case invalidConfiguration(String)
    /// The journal was closed; it cannot be used again.
    case closed

    public var description: String {
        switch self {
        case .unknownSubscriber(let name):
            return "unknown journal subscriber '\(name)'"
        case .invalidSubscriberName(let name):
            return "invalid journal subscriber name '\(name)': use 1 to 128 of A-Z a-z 0-9 . _ -, not starting with '.'"
        case .payloadContainsNewline(let index):
            return "journal payload \(index) contains a newline or carriage return; nothing was appended"
        case .checkpointOutOfRange(let name, let requested, let checkpoint, let last):
            return "cannot move subscriber '\(name)' to \(requested): its checkpoint is \(checkpoint) "
                + "and the last sequence is \(last) (checkpoints only move forward, up to the last sequence)"
        case .io(let operation, let path, let code):
            return "\(operation) \(path): \(String(cString: strerror(code))) (errno \(code))"
        case .corruptRecord(let path, let offset, let reason):
            return "corrupt journal record in \(path) at byte offset \(offset): \(reason)"
        case .corruptCheckpoint(let path, let content):
            return "corrupt journal checkpoint \(path): expected a decimal sequence number, found '\(content)'"
        case .invalidConfiguration(let reason):
            return "invalid journal configuration: \(reason)"
        case .closed:
            return "the journal is closed"
        }
    }
}
