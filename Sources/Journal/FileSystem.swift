#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The directory-level POSIX operations the journal needs, each failing with a `JournalError` that names the path.
enum FileSystem {
    /// `mkdir -p`; newly made directories are made durable by syncing their parents.
    static func ensureDirectory(_ path: String) throws {
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else { throw JournalError.io(operation: "mkdir", path: path, errno: ENOTDIR) }
            return
        }
        let parent = parentDirectory(of: path)
        if parent != path { try ensureDirectory(parent) }
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw JournalError.io(operation: "mkdir", path: path, errno: errno) }
        try syncDirectory(parent)
    }

    /// Names in a directory, without "." and "..", in no particular order.
    static func contents(of path: String) throws -> [String] {
        guard let dir = opendir(path) else { throw JournalError.io(operation: "opendir", path: path, errno: errno) }
        defer { closedir(dir) }
        var names = [String]()
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) {
                    String(cString: $0)
                }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func size(of path: String) throws -> Int64 {
        var info = stat()
        guard stat(path, &info) == 0 else { throw JournalError.io(operation: "stat", path: path, errno: errno) }
        return Int64(info.st_size)
    }

    static func remove(_ path: String) throws {
        guard unlink(path) == 0 else { throw JournalError.io(operation: "unlink", path: path, errno: errno) }
    }

    /// fsync on a directory makes creations, renames and removals of its entries durable.
    static func syncDirectory(_ path: String) throws {
        let directory = try POSIXFile.open(path, flags: O_RDONLY | O_DIRECTORY)
        defer { directory.close() }
        try directory.sync()
    }

    /// Reads a file that is known to be small (a checkpoint) in full.
    static func readSmallFile(_ path: String) throws -> [UInt8] {
        try POSIXFile.withReadOnly(path) { file in
            var bytes = [UInt8](repeating: 0, count: 256)
            var count = 0
            while true {
                let n = try bytes.withUnsafeMutableBytes { buffer in
                    try file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[count...]), at: Int64(count))
                }
                count += n
                if count < bytes.count { break }
                bytes.append(contentsOf: repeatElement(0, count: bytes.count))
            }
            return Array(bytes[..<count])
        }
    }

    /// Replaces `path` with `bytes` so that after a crash the file holds either the old or the
    /// new content, never a mix: write a temporary file, fsync it, rename it over, fsync the directory.
    static func replaceDurably(_ path: String, with bytes: [UInt8], temporaryPath: String) throws {
        let file = try POSIXFile.open(temporaryPath, flags: O_WRONLY | O_CREAT | O_TRUNC)
        do {
            try bytes.withUnsafeBytes { buffer in try file.writeAll(buffer) }
            try file.sync()
            file.close()
        } catch {
            file.close()
            _ = unlink(temporaryPath)
            throw error
        }
        guard rename(temporaryPath, path) == 0 else {
            let code = errno
            _ = unlink(temporaryPath)
            throw JournalError.io(operation: "rename to \(path)", path: temporaryPath, errno: code)
        }
        try syncDirectory(parentDirectory(of: path))
    }

    static func parentDirectory(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        if slash == trimmed.startIndex { return "/" }
        return String(trimmed[..<slash])
    }
}
