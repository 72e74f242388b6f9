#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open file descriptor and the path it was opened from, so that every failure names the file.
///
/// Copyable on purpose: the journal keeps exactly one owner of each descriptor and closes it
/// explicitly; nothing here closes behind the owner's back.
struct POSIXFile: Sendable {
    let descriptor: Int32
    let path: String

    static func open(_ path: String, flags: Int32, mode: mode_t = 0o644) throws -> POSIXFile {
        while true {
            let fd = systemOpen(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return POSIXFile(descriptor: fd, path: path) }
            if errno == EINTR { continue }
            throw JournalError.io(operation: "open", path: path, errno: errno)
        }
    }

    /// Runs `body` with the file opened read-only, closing it afterwards whatever happens.
    static func withReadOnly<R>(_ path: String, _ body: (POSIXFile) throws -> R) throws -> R {
        let file = try open(path, flags: O_RDONLY)
        defer { file.close() }
        return try body(file)
    }

    /// Writes all of `bytes`, retrying short writes and EINTR. On failure part of the bytes may be
    /// on disk; the caller decides how to undo that because only it knows the previous size.
    func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let n = systemWrite(descriptor, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw JournalError.io(operation: "write", path: path, errno: errno)
            }
            done += n
        }
    }

    /// Reads up to `buffer.count` bytes at `offset`; fewer only at end of file.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int {
        var done = 0
        while done < buffer.count {
            let n = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw JournalError.io(operation: "pread", path: path, errno: errno)
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    func sync() throws {
        while fsync(descriptor) != 0 {
            if errno == EINTR { continue }
            throw JournalError.io(operation: "fsync", path: path, errno: errno)
        }
    }

    func truncate(to size: Int64) throws {
        while ftruncate(descriptor, off_t(size)) != 0 {
            if errno == EINTR { continue }
            throw JournalError.io(operation: "ftruncate", path: path, errno: errno)
        }
    }

    func size() throws -> Int64 {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw JournalError.io(operation: "fstat", path: path, errno: errno) }
        return Int64(info.st_size)
    }

    func close() {
        // POSIX leaves the descriptor state unspecified after EINTR from close, so never retry it.
        _ = systemClose(descriptor)
    }
}

// The member names shadow the C functions inside the type, so reach them through these.
@inline(__always) private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
    open(path, flags, mode)
}

@inline(__always) private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}

@inline(__always) private func systemClose(_ fd: Int32) -> Int32 {
    close(fd)
}
