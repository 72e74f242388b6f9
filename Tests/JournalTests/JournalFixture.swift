import Foundation
import Testing
import Journal
import Logging
import NoitTestSupport

/// A journal in its own temporary directory, with helpers to look at and damage its files.
struct JournalFixture {
    let directory: TemporaryDirectory
    let log = LogRecorder()
    var configuration: JournalConfiguration

    init(segmentBytes: Int = 16 << 20, fsyncIntervalMilliseconds: Int = 1000, maxBytes: Int64 = 1 << 30) throws {
        directory = try TemporaryDirectory()
        configuration = JournalConfiguration(
            directory: directory.journalPath, segmentBytes: segmentBytes,
            fsyncIntervalMilliseconds: fsyncIntervalMilliseconds, maxBytes: maxBytes)
    }

    func open() throws -> Journal {
        try Journal(configuration: configuration, logger: log.logger)
    }

    var segmentsPath: String { configuration.directory + "/segments" }
    var subscribersPath: String { configuration.directory + "/subscribers" }

    /// Segment file names on disk, oldest first.
    func segmentFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: segmentsPath).filter { $0.hasSuffix(".journal") }.sorted()
    }

    /// First sequences of the segment files on disk, oldest first.
    func segmentFirstSequences() throws -> [UInt64] {
        try segmentFiles().map { UInt64($0.dropLast(".journal".count))! }
    }

    func segmentPath(_ name: String) -> String { segmentsPath + "/" + name }

    func lastSegmentPath() throws -> String {
        segmentPath(try #require(try segmentFiles().last))
    }

    func bytesOnDisk() throws -> Int64 {
        try segmentFiles().reduce(0) { $0 + (try size(of: segmentPath($1))) }
    }

    func size(of path: String) throws -> Int64 {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.size] as! NSNumber).int64Value
    }

    func contents(of path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    func appendBytes(_ bytes: [UInt8], to path: String) throws {
        let handle = try #require(FileHandle(forWritingAtPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(bytes))
    }

    func replaceContents(of path: String, with bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    func checkpointFileContents(_ subscriber: String) throws -> String {
        String(decoding: try contents(of: subscribersPath + "/" + subscriber + ".checkpoint"), as: UTF8.self)
    }
}

extension Journal {
    /// Everything after the subscriber's checkpoint, in one batch.
    func readAll(_ subscriber: String) throws -> JournalBatch {
        try readBatch(for: subscriber, maxRecords: .max, maxBytes: .max)
    }
}

/// A journal line as the format defines it, built independently of the journal's encoder.
func expectedLine(sequence: UInt64, payload: String) -> [UInt8] {
    let crc = Journal.crc32(Array("\(sequence)\t\(payload)".utf8))
    let hex = String(crc, radix: 16)
    let padded = String(repeating: "0", count: 8 - hex.count) + hex
    return Array("\(sequence)\t\(padded)\t\(payload)\n".utf8)
}
