#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging

/// The subscribers' checkpoint files: `<directory>/<name>.checkpoint`, each holding one decimal
/// sequence number and a newline.
struct CheckpointStore: Sendable {
    let directory: String

    static let fileSuffix = ".checkpoint"
    static let temporarySuffix = ".checkpoint.tmp"

    func path(for name: String) -> String { directory + "/" + name + CheckpointStore.fileSuffix }

    /// Every subscriber's checkpoint. Temporary files left by a crash mid-write are deleted: the
    /// rename never happened, so the previous checkpoint file is still the truth.
    func load(logger: Logger) throws -> [String: UInt64] {
        var checkpoints = [String: UInt64]()
        for file in try FileSystem.contents(of: directory) {
            let path = directory + "/" + file
            if file.hasSuffix(CheckpointStore.temporarySuffix) {
                try FileSystem.remove(path)
                logger.notice("removed an unfinished checkpoint write", metadata: ["path": "\(path)"])
                continue
            }
            guard file.hasSuffix(CheckpointStore.fileSuffix) else { continue }
            let name = String(file.dropLast(CheckpointStore.fileSuffix.count))
            guard SubscriberName.isValid(name) else {
                logger.warning("ignoring a checkpoint file with an invalid subscriber name", metadata: ["path": "\(path)"])
                continue
            }
            let content = String(decoding: try FileSystem.readSmallFile(path), as: UTF8.self)
            let digits = content.hasSuffix("\n") ? content.dropLast() : Substring(content)
            guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let value = UInt64(digits) else {
                throw JournalError.corruptCheckpoint(path: path, content: content)
            }
            checkpoints[name] = value
        }
        return checkpoints
    }

    func write(_ name: String, checkpoint: UInt64) throws {
        try FileSystem.replaceDurably(
            path(for: name), with: Array("\(checkpoint)\n".utf8),
            temporaryPath: directory + "/" + name + CheckpointStore.temporarySuffix)
    }

    func remove(_ name: String) throws {
        try FileSystem.remove(path(for: name))
        try FileSystem.syncDirectory(directory)
    }
}
