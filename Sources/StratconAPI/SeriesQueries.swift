import Foundation
import PostgresNIO

/// The statements behind `/api/series`: one per source (raw archive or rollup) and
/// transform. Each aggregates into buckets of `step` seconds aligned to the epoch and
/// returns `(bucket start in epoch seconds, avg, min, max)`.
enum SeriesQueries {
    static func query(
        resolution: SeriesResolution, transform: SeriesTransform, uuid: UUID, name: String,
        start: Date, end: Date, step: Int64
    ) -> PostgresQuery {
        switch (resolution, transform) {
        case (.raw, .none):
            return """
                SELECT (floor(extract(epoch FROM time) / \(step)) * \(step))::bigint, avg(value), min(value), max(value)
                FROM metric_numeric_archive
                WHERE uuid = \(uuid) AND name = \(name) AND time >= \(start) AND time < \(end)
                GROUP BY 1 ORDER BY 1
                """
        case (.raw, .derive), (.raw, .counter):
            // A rate needs the point before each one, so the last point before the range too.
            // For a counter a negative step is a reset: no rate for that interval.
            return """
                SELECT (floor(extract(epoch FROM time) / \(step)) * \(step))::bigint, avg(rate), min(rate), max(rate)
                FROM (
                    SELECT time, (value - lag(value) OVER w) / nullif(extract(epoch FROM time - lag(time) OVER w)::float8, 0) AS rate
                    FROM (
                        SELECT time, value FROM metric_numeric_archive
                        WHERE uuid = \(uuid) AND name = \(name) AND time >= \(start) AND time < \(end) AND value IS NOT NULL
                        UNION ALL
                        (SELECT time, value FROM metric_numeric_archive
                         WHERE uuid = \(uuid) AND name = \(name) AND time < \(start) AND value IS NOT NULL
                         ORDER BY time DESC LIMIT 1)
                    ) points
                    WINDOW w AS (ORDER BY time)
                ) rates
                WHERE time >= \(start) AND rate IS NOT NULL AND (\(transform != .counter) OR rate >= 0)
                GROUP BY 1 ORDER BY 1
                """
        case (_, .none):
            return """
                SELECT (floor(extract(epoch FROM bucket) / \(step)) * \(step))::bigint,
                       sum(sum) / nullif(sum(count), 0)::float8, min(min), max(max)
                FROM noit_rollup_rows(\(resolution.rawValue), \(uuid), \(name), \(start), \(end), false)
                GROUP BY 1 ORDER BY 1
                """
        case (_, .counter):
            // The rollups carry the sum of non-negative deltas and the seconds they span, so
            // the rate over any set of buckets is exact and resets drop out.
            return """
                SELECT (floor(extract(epoch FROM bucket) / \(step)) * \(step))::bigint,
                       sum(counter_delta) / nullif(sum(counter_span), 0),
                       min(counter_delta / nullif(counter_span, 0)), max(counter_delta / nullif(counter_span, 0))
                FROM noit_rollup_rows(\(resolution.rawValue), \(uuid), \(name), \(start), \(end), false)
                GROUP BY 1 ORDER BY 1
                """
        case (_, .derive):
            return """
                SELECT (floor(extract(epoch FROM bucket) / \(step)) * \(step))::bigint, avg(rate), min(rate), max(rate)
                FROM (
                    SELECT bucket, (average - lag(average) OVER w) / nullif(extract(epoch FROM bucket - lag(bucket) OVER w)::float8, 0) AS rate
                    FROM (
                        SELECT bucket, sum / nullif(count, 0)::float8 AS average
                        FROM noit_rollup_rows(\(resolution.rawValue), \(uuid), \(name), \(start), \(end), true)
                    ) rows
                    WINDOW w AS (ORDER BY bucket)
                ) rates
                WHERE bucket >= \(start) AND rate IS NOT NULL
                GROUP BY 1 ORDER BY 1
                """
        }
    }
}
