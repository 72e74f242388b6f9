import Foundation

/// One line of the journal and the feed (REFERENCE §5): a check definition, a status, a metric,
/// or a deletion. Fields are tab-separated and escaped with `FieldEscaping`.
public enum Record: Hashable, Sendable {
    /// `C ts uuid target module name`: a check was created or changed.
    case check(timestamp: Timestamp, uuid: UUID, target: String, module: String, name: String)
    /// `S ts uuid state avail duration status`.
    case status(timestamp: Timestamp, uuid: UUID, state: CheckState, availability: Availability, durationMilliseconds: Int64, status: String)
    /// `M ts uuid name type value`; a null value is written as `[[null]]`.
    case metric(timestamp: Timestamp, uuid: UUID, metric: Metric)
    /// `D ts uuid name`: a check was deleted.
    case delete(timestamp: Timestamp, uuid: UUID, name: String)

    public var timestamp: Timestamp {
        switch self {
        case .check(let ts, _, _, _, _), .status(let ts, _, _, _, _, _), .metric(let ts, _, _), .delete(let ts, _, _): ts
        }
    }

    public var uuid: UUID {
        switch self {
        case .check(_, let id, _, _, _), .status(_, let id, _, _, _, _), .metric(_, let id, _), .delete(_, let id, _): id
        }
    }

    /// The records of one completed run: its status, then each metric.
    public static func records(of result: CheckResult, uuid: UUID, at timestamp: Timestamp) -> [Record] {
        var records = [Record]()
        records.reserveCapacity(result.metrics.count + 1)
        records.append(
            .status(
                timestamp: timestamp, uuid: uuid, state: result.state, availability: result.availability,
                durationMilliseconds: result.durationMilliseconds, status: result.status))
        for metric in result.metrics {
            records.append(.metric(timestamp: timestamp, uuid: uuid, metric: metric))
        }
        return records
    }
}
