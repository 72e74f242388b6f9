import Foundation
import NIOCore
import NoitCore

/// Feed records turned into COPY data, ready for one batch transaction.
///
/// The two kinds that make up nearly every batch are written in the shape of their archive
/// tables, in binary COPY format, so a batch that cannot hold stored rows can be copied straight
/// into the archive (see ``ArchiveStore``):
/// - statuses: `uuid, time, state, availability, duration_ms, status` (`status_archive`);
/// - numeric metrics: `uuid, time, name, value` (`metric_numeric_archive`).
///
/// The rare rest goes, as COPY text, to the generic `staging_records` shape, `kind, time_ms, uuid, f1, f2, f3, f4`:
///
/// | kind | f1 | f2 | f3 | f4 |
/// |---|---|---|---|---|
/// | C | target | module | name | |
/// | M (text) | name | `s` | value (NULL for `[[null]]`) | |
/// | D | name | | | |
public struct StagedRecords: Sendable {
    private(set) var statusRows = BinaryCopyRows()
    private(set) var numericRows = BinaryCopyRows()
    public private(set) var otherRows = ByteBuffer()
    public var statusCount: Int { statusRows.count }
    public var numericCount: Int { numericRows.count }
    public private(set) var otherCount = 0
    /// The batch has `C` or `D` records (definitions to merge).
    public private(set) var hasDefinitions = false
    /// The batch has text metrics (the change log to merge).
    public private(set) var hasTextMetrics = false
    public private(set) var count = 0
    /// The journal sequences the batch spans, when it came from a feed.
    public private(set) var sequences: ClosedRange<UInt64>?
    /// Lines that did not parse as records: logged and skipped, never fatal, since the
    /// journal checksums lines and a bad one would otherwise stop the feed forever.
    public private(set) var rejected: [(sequence: UInt64, reason: String)] = []
    /// When each status's check finished (start + duration, ms since the epoch), for the lag.
    public private(set) var completions: [Int64] = []
    /// A metric of a check as the catalogue lists it.
    public struct Series: Hashable, Sendable {
        public var check: UUID
        public var name: String
        public var type: Character
    }

    /// A metric of a check in the batch: its type (the last one seen, should it change) and
    /// the first and last time the batch has for it (ms since the epoch).
    public struct SeriesEntry: Sendable {
        public var check: UUID
        public var name: String
        public var type: Character
        public var first: Int64
        public var last: Int64

        public var series: Series { Series(check: check, name: name, type: type) }
    }

    /// Every series the batch has a value for, once each.
    public var seriesEntries: [SeriesEntry] { Array(seriesIndex.values) }
    /// The numeric series the batch touches, for the rollup queue.
    public var numericRanges: [SeriesEntry] { seriesIndex.values.filter { $0.type != MetricType.string.rawValue } }
    private var seriesIndex: [SeriesName: SeriesEntry] = [:]
    private struct SeriesName: Hashable {
        var check: UUID
        var name: String
    }

    /// The latest status time of each check in the batch (ms since the epoch).
    public private(set) var latestStatuses: [UUID: Int64] = [:]

    /// The days (since the epoch) the archive rows fall on: the partitions the batch needs.
    public private(set) var days = Set<Int64>()
    /// The parsed records, for the live subscribers once the batch is committed.
    public private(set) var records: [Record] = []

    private var lastDay: Int64?

    /// A batch of at least this many records means its feed is behind (draining a backlog)
    /// rather than keeping up with a live trickle.
    public static let backlogMinimum = 1_000

    /// 0001-01-01 to 9999-12-31 UTC, in milliseconds since the epoch. PostgreSQL refuses some
    /// times outside it, which would fail the batch on every retry and stop the feed for good.
    static let storableTimes: ClosedRange<Int64> = -62_135_596_800_000...253_402_300_799_999

    public var isBacklog: Bool { count >= Self.backlogMinimum }

    public init() {}

    public mutating func append(sequence: UInt64, line: String) {
        let record: Record
        do {
            record = try Record(line: line)
        } catch {
            rejected.append((sequence, "\(error)"))
            return
        }
        guard Self.storableTimes.contains(record.timestamp.millisecondsSinceEpoch) else {
            rejected.append((sequence, "timestamp \(record.timestamp) is outside the years 1 to 9999"))
            return
        }
        if let known = sequences {
            sequences = min(known.lowerBound, sequence)...max(known.upperBound, sequence)
        } else {
            sequences = sequence...sequence
        }
        append(record)
    }

    public mutating func append(_ record: Record) {
        records.append(record)
        count += 1
        switch record {
        case .check(let time, let uuid, let target, let module, let name):
            hasDefinitions = true
            writeOther(["C", String(time.millisecondsSinceEpoch), uuid.lowercasedString, target, module, name, nil])
        case .delete(let time, let uuid, let name):
            hasDefinitions = true
            writeOther(["D", String(time.millisecondsSinceEpoch), uuid.lowercasedString, name, nil, nil, nil])
        case .status(let time, let uuid, let state, let availability, let duration, let status):
            // Saturating: a corrupt or hostile duration must not crash the feed.
            let (completion, overflow) = time.millisecondsSinceEpoch.addingReportingOverflow(Int64(duration))
            completions.append(overflow ? time.millisecondsSinceEpoch : completion)
            noteDay(time)
            latestStatuses[uuid] = max(latestStatuses[uuid] ?? .min, time.millisecondsSinceEpoch)
            statusRows.beginRow(fields: 6)
            statusRows.write(uuid)
            statusRows.writeTimestamp(millisecondsSinceEpoch: time.millisecondsSinceEpoch)
            statusRows.write(byte: state.rawValue.asciiValue ?? UInt8(ascii: "?"))
            statusRows.write(byte: availability.rawValue.asciiValue ?? UInt8(ascii: "?"))
            statusRows.write(Int32(clamping: duration))
            statusRows.write(status)
        case .metric(let time, let uuid, let metric):
            let ms = time.millisecondsSinceEpoch
            seriesIndex[SeriesName(check: uuid, name: metric.name),
                        default: SeriesEntry(check: uuid, name: metric.name, type: metric.type.rawValue, first: ms, last: ms)]
                .add(type: metric.type.rawValue, at: ms)
            if metric.type == .string {
                hasTextMetrics = true
                writeOther(["M", String(time.millisecondsSinceEpoch), uuid.lowercasedString, metric.name,
                            String(metric.type.rawValue), metric.value.valueText, nil])
                return
            }
            noteDay(time)
            numericRows.beginRow(fields: 4)
            numericRows.write(uuid)
            numericRows.writeTimestamp(millisecondsSinceEpoch: ms)
            numericRows.write(metric.name)
            if let value = metric.value.doubleValue { numericRows.write(value) } else { numericRows.writeNull() }
        }
    }

    /// Adds a later batch, so that several are stored in one transaction.
    public mutating func append(contentsOf later: StagedRecords) {
        statusRows.append(contentsOf: later.statusRows)
        numericRows.append(contentsOf: later.numericRows)
        var rows = later.otherRows
        otherRows.writeBuffer(&rows)
        otherCount += later.otherCount
        hasDefinitions = hasDefinitions || later.hasDefinitions
        hasTextMetrics = hasTextMetrics || later.hasTextMetrics
        count += later.count
        if let theirs = later.sequences {
            sequences = sequences.map { min($0.lowerBound, theirs.lowerBound)...max($0.upperBound, theirs.upperBound) } ?? theirs
        }
        rejected += later.rejected
        completions += later.completions
        for (key, entry) in later.seriesIndex {
            seriesIndex[key, default: entry].add(type: entry.type, at: entry.first)
            seriesIndex[key]!.add(type: entry.type, at: entry.last)
        }
        latestStatuses.merge(later.latestStatuses) { max($0, $1) }
        days.formUnion(later.days)
        records += later.records
    }

    private mutating func noteDay(_ time: Timestamp) {
        let ms = time.millisecondsSinceEpoch
        let day = ms >= 0 ? ms / 86_400_000 : -((-ms + 86_399_999) / 86_400_000)
        // Nearly every record falls on the day of the one before it.
        guard day != lastDay else { return }
        lastDay = day
        days.insert(day)
    }

    private mutating func writeOther(_ fields: [String?]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { otherRows.writeInteger(UInt8(ascii: "\t")) }
            if let field { Self.writeEscaped(field, into: &otherRows) } else { otherRows.writeString("\\N") }
        }
        otherRows.writeInteger(UInt8(ascii: "\n"))
        otherCount += 1
    }

    /// COPY's text format: backslash, tab, newline and carriage return are escaped; NUL
    /// cannot be stored in a PostgreSQL text value at all, so it becomes U+FFFD.
    static func writeEscaped(_ text: String, into buffer: inout ByteBuffer) {
        var text = text
        text.withUTF8 { bytes in
            // Runs of plain bytes at once; only the rare byte that needs escaping goes alone.
            var runStart = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
                    || byte == UInt8(ascii: "\r") || byte == 0
                else { continue }
                if runStart < index { buffer.writeBytes(UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
                switch byte {
                case UInt8(ascii: "\\"): buffer.writeString("\\\\")
                case UInt8(ascii: "\t"): buffer.writeString("\\t")
                case UInt8(ascii: "\n"): buffer.writeString("\\n")
                case UInt8(ascii: "\r"): buffer.writeString("\\r")
                default: buffer.writeString("\u{FFFD}")
                }
                runStart = index + 1
            }
            if runStart < bytes.count { buffer.writeBytes(UnsafeBufferPointer(rebasing: bytes[runStart...])) }
        }
    }
}

extension StagedRecords.SeriesEntry {
    mutating func add(type: Character, at ms: Int64) {
        self.type = type
        first = min(first, ms)
        last = max(last, ms)
    }
}
