import CLibXML2
import Foundation
import NoitCore
#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Musl)
import Musl
private let systemWrite = Musl.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif

extension ConfigDocument {
    /// The document as indented UTF-8 XML with an XML declaration. Parsing the result gives
    /// the same configuration (only line numbers may differ).
    public func serializedXML() -> String {
        var buffer: UnsafeMutablePointer<xmlChar>?
        var size: Int32 = 0
        xmlDocDumpFormatMemoryEnc(document, &buffer, &size, "UTF-8", 1)
        guard let buffer else { return "" }
        defer { LibXML.deallocate(buffer) }
        return String(decoding: UnsafeBufferPointer(start: buffer, count: Int(size)), as: UTF8.self)
    }

    /// Saves ``serializedXML()`` to `path` so that a crash at any moment leaves either the old
    /// or the new file complete: the text goes to a temporary file in the same directory, is
    /// synced, and is renamed over `path`. The file it replaces stays available as
    /// `<path>.bak` (replacing an older backup); a new file keeps the old one's permissions.
    /// - Throws: ``ConfigWriteError``; on failure `path` is untouched.
    public func write(toFile path: String) throws {
        let bytes = Array(serializedXML().utf8)
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let temporary = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: .min ... .max))"
        func failure(_ operation: String, _ code: Int32 = errno) -> ConfigWriteError {
            ConfigWriteError(path: path, operation: operation, errno: code)
        }

        var existing = stat()
        let exists = stat(path, &existing) == 0
        let mode = exists ? existing.st_mode & 0o7777 : 0o644
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw failure("open \(temporary)") }
        var renamed = false
        defer { if !renamed { unlink(temporary) } }
        do {
            defer { close(descriptor) }
            // The umask may have narrowed the mode open() applied; a replaced file keeps its own.
            if exists, fchmod(descriptor, mode) != 0 { throw failure("fchmod") }
            var written = 0
            while written < bytes.count {
                let count = bytes.withUnsafeBytes { systemWrite(descriptor, $0.baseAddress! + written, $0.count - written) }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw failure("write")
                }
                written += count
            }
            guard fsync(descriptor) == 0 else { throw failure("fsync") }
        }

        if exists {
            let backup = path + ".bak"
            if unlink(backup) != 0 && errno != ENOENT { throw failure("unlink \(backup)") }
            // A hard link keeps `path` in place until the rename, so there is never a moment
            // without a config file; copy where the file system has no hard links.
            if link(path, backup) != 0 {
                do {
                    try Data(contentsOf: url).write(to: URL(fileURLWithPath: backup))
                } catch {
                    throw failure("copy to \(backup)", EIO)
                }
            }
        }
        guard rename(temporary, path) == 0 else { throw failure("rename") }
        renamed = true
        // The rename itself is only durable once the directory is synced.
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }
}

extension ConfigDocument {
    /// ``serializedXML()`` for showing to someone: every config key that ``SecretKeys`` names
    /// (in checks, groups and templates alike) and every listener's `password` attribute (a
    /// console password hash) carry ``SecretKeys/placeholder`` instead of their value. Not
    /// for saving: it would not load back the same.
    public func redactedXML() -> String {
        let shown = copy()
        func xml<Value>(_ text: String, _ body: (UnsafePointer<xmlChar>) -> Value) -> Value {
            text.withCString { $0.withMemoryRebound(to: xmlChar.self, capacity: text.utf8.count + 1, body) }
        }
        for element in shown.elements(matching: "//config/*") where SecretKeys.isSecret(element.name) {
            xml(SecretKeys.placeholder) { xmlNodeSetContent(element.node, $0) }
        }
        for element in shown.elements(matching: "//listener[@password]") {
            _ = xml("password") { name in xml(SecretKeys.placeholder) { value in xmlSetProp(element.node, name, value) } }
        }
        return shown.serializedXML()
    }
}
