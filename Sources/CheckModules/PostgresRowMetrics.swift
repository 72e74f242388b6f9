import NoitCore
import PostgresNIO

/// The metrics of a query's rows: each row's first column names the row, and every other
/// column becomes a metric named ``<first column>`<column name>`` (so a row ("disk_used", 42)
/// with columns (name, value) gives ``disk_used`value`` = 42).
///
/// - A result with a single column gives no row metrics, only `row_count`: there is no column
///   left to be a value.
/// - A row whose first column is NULL (or has no text form) gives no metrics, but counts.
/// - When two rows give the same name, the later row's value wins.
/// - Strings are cut to ``stringLimit`` UTF-8 bytes and the metrics to ``metricLimit``, so a
///   huge result costs the node bounded memory; `row_count` still counts every row.
struct PostgresRowMetrics {
    static let metricLimit = 10_000
    static let stringLimit = 4_096

    private(set) var rowCount: Int64 = 0
    private(set) var metrics: [Metric] = []
    /// True once some row's metrics were left out at ``metricLimit``.
    private(set) var truncated = false
    private var indexByName: [String: Int] = [:]

    mutating func add(_ row: some Collection<PostgresCell>) {
        rowCount += 1
        guard row.count > 1, let first = row.first, let rowName = PostgresValueDecoder.text(first) else { return }
        let prefix = Self.truncated(rowName)
        for cell in row.dropFirst() {
            let name = prefix + "`" + cell.columnName
            var value = PostgresValueDecoder.metricValue(cell)
            if case .string(let text) = value { value = .string(Self.truncated(text)) }
            if let index = indexByName[name] {
                metrics[index].value = value
            } else if metrics.count < Self.metricLimit {
                indexByName[name] = metrics.count
                metrics.append(Metric(name, value))
            } else {
                truncated = true
            }
        }
    }

    /// The longest prefix of `text` within ``stringLimit`` UTF-8 bytes that ends on a scalar.
    static func truncated(_ text: String) -> String {
        let utf8 = text.utf8
        guard utf8.count > stringLimit else { return text }
        var end = utf8.index(utf8.startIndex, offsetBy: stringLimit)
        while end > utf8.startIndex, utf8[end] & 0xC0 == 0x80 {
            end = utf8.index(before: end)
        }
        return String(text.unicodeScalars[..<end])
    }
}
