import Foundation
import Hummingbird
import NIOCore
import NoitCore
import Stratcon

/// The handlers of stratcond's JSON API (`/api/...`). Bounds keep any one request cheap:
/// ranges, point counts, list lengths.
public struct GraphAPI: Sendable {
    public static let maximumPoints = 5000
    public static let maximumRangeSeconds: Double = 5 * 366 * 86_400
    public static let maximumEvents = 10_000
    public static let maximumChecks = 100_000
    public static let maximumMetricsPerSeries = 20

    let store: GraphStore
    let feeds: [NoitFeed]
    let live: LiveHub
    let now: @Sendable () -> Date

    public init(store: GraphStore, feeds: [NoitFeed], live: LiveHub, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.feeds = feeds
        self.live = live
        self.now = now
    }

    static func json(_ document: JSONText, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: document.buffer))
    }

    static func csv(_ document: CSVText, name: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name).csv\""],
            body: .init(byteBuffer: document.buffer))
    }

    // MARK: /api/noits

    func noits(_ request: Request) async throws(APIError) -> Response {
        _ = try APIParameters(request, allowed: [])
        let rows = try await database { try await store.noits() }
        let stored = Dictionary(rows.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var json = JSONText()
        json.beginObject()
        json.key("noits")
        json.beginArray()
        var listed = Set<String>()
        for feed in feeds {
            let settings = feed.settings, status = feed.status, lag = feed.ingestLag
            listed.insert(settings.name)
            json.beginObject()
            json.field("name", settings.name)
            json.field("address", settings.address)
            json.field("port", settings.port)
            json.field("connected", status.connected)
            json.field("subscriber", status.subscriber)
            json.field("first_seen", stored[settings.name].map { GraphTime.format($0.firstSeen) })
            json.field("last_batch", stored[settings.name]?.lastBatch.map(GraphTime.format))
            json.field("records_stored", Int64(status.recordsStored))
            json.field("checkpoint", Int64(status.checkpoint))
            json.field("connections", Int64(status.connections))
            json.field("last_batch_lag_ms", status.lastBatchLagMilliseconds)
            json.key("lag_ms")
            if lag.count == 0 {
                json.null()
            } else {
                json.beginObject()
                json.field("p50", Int64(lag.p50Milliseconds))
                json.field("p99", Int64(lag.p99Milliseconds))
                json.field("max", Int64(lag.maxMilliseconds))
                json.endObject()
            }
            json.endObject()
        }
        // Noits that fed this database once but are no longer configured here (or are fed by
        // another stratcond sharing it).
        for row in rows where !listed.contains(row.name) {
            json.beginObject()
            json.field("name", row.name)
            json.field("connected", false)
            json.field("configured", false)
            json.field("first_seen", GraphTime.format(row.firstSeen))
            json.field("last_batch", row.lastBatch.map(GraphTime.format))
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return Self.json(json)
    }

    // MARK: /api/checks

    func checks(_ request: Request) async throws(APIError) -> Response {
        let parameters = try APIParameters(request, allowed: ["q", "module", "target", "state", "limit", "deleted"])
        var filter = GraphStore.CheckFilter()
        filter.text = try parameters.single("q") ?? ""
        filter.module = try parameters.single("module").flatMap { $0.isEmpty ? nil : $0 }
        filter.target = try parameters.single("target").flatMap { $0.isEmpty ? nil : $0 }
        filter.limit = try parameters.integer("limit", default: 10_000, range: 1...Self.maximumChecks)
        filter.includeDeleted = try parameters.choice("deleted", default: Flag.no) == .yes
        if let state = try parameters.single("state"), !state.isEmpty {
            guard ["good", "bad", "unavailable", "stale"].contains(state) else {
                throw .badRequest("state '\(state)' must be one of good, bad, unavailable, stale")
            }
            filter.condition = state
        }
        // One more than asked, to tell a full page from a truncated one.
        filter.limit += 1
        let now = self.now()
        let rows = try await database { try await store.checks(filter, now: now) }
        var json = JSONText(capacity: rows.count * 420 + 64)
        json.beginObject()
        json.key("checks")
        json.beginArray()
        var count = 0
        var truncated = false
        for row in rows {
            guard count < filter.limit - 1 else {
                truncated = true
                break
            }
            count += 1
            Self.write(row, into: &json)
        }
        json.endArray()
        json.field("count", count)
        json.field("truncated", truncated)
        json.endObject()
        return Self.json(json)
    }

    static func write(_ row: GraphStore.CheckRow, into json: inout JSONText) {
        json.beginObject()
        json.field("uuid", row.uuid.lowercasedString)
        json.field("noit", row.noit)
        json.field("target", row.target)
        json.field("module", row.module)
        json.field("name", row.name)
        json.field("defined_at", time: GraphTime.milliseconds(row.definedAt))
        json.field("deleted_at", time: row.deletedAt.map(GraphTime.milliseconds))
        json.field("condition", row.status?.condition ?? "unknown")
        json.key("status")
        if let status = row.status {
            json.beginObject()
            json.field("time", time: GraphTime.milliseconds(status.time))
            json.field("time_ms", GraphTime.milliseconds(status.time))
            json.field("state", StatusWords.state(status.state))
            json.field("availability", StatusWords.availability(status.availability))
            json.field("duration_ms", Int64(status.durationMilliseconds))
            json.field("status", status.text)
            json.field("interval_ms", status.intervalMilliseconds.map(Int64.init))
            json.endObject()
        } else {
            json.null()
        }
        json.endObject()
    }

    func check(_ request: Request, _ text: String) async throws(APIError) -> Response {
        _ = try APIParameters(request, allowed: [])
        guard let uuid = UUID(uuidString: text) else { throw .badRequest("'\(text)' is not a uuid") }
        let row = try await requireCheck(uuid)
        let metrics = try await database { try await store.metrics(of: uuid) }
        var json = JSONText()
        json.beginObject()
        json.key("check")
        Self.write(row, into: &json)
        json.key("metrics")
        json.beginArray()
        for metric in metrics {
            let numeric = metric.type != "s"
            json.beginObject()
            json.field("name", metric.name)
            json.field("type", metric.type)
            json.field("numeric", numeric)
            json.field("first_seen", GraphTime.format(metric.firstSeen))
            json.field("last_seen", GraphTime.format(metric.lastSeen))
            json.field("time", metric.time.map(GraphTime.format))
            if numeric { json.field("value", metric.numeric) } else { json.field("value", metric.text) }
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return Self.json(json)
    }

    // MARK: /api/series

    func series(_ request: Request) async throws(APIError) -> Response {
        let parameters = try APIParameters(request, allowed: ["check", "metric", "start", "end", "points", "transform", "format"])
        guard let uuid = try parameters.uuid("check") else { throw .badRequest("parameter 'check' is required") }
        let metrics = parameters.all("metric")
        guard !metrics.isEmpty else { throw .badRequest("parameter 'metric' is required (repeat it for several series)") }
        guard metrics.count <= Self.maximumMetricsPerSeries else {
            throw .badRequest("at most \(Self.maximumMetricsPerSeries) metrics in one request")
        }
        let points = try parameters.integer("points", default: 400, range: 1...Self.maximumPoints)
        let transform = try parameters.choice("transform", default: SeriesTransform.none)
        let format = try parameters.format()
        let (start, end) = try parameters.timeRange(now: now(), defaultStart: "-6h", maximumSeconds: Self.maximumRangeSeconds)
        _ = try await requireCheck(uuid)
        for metric in metrics {
            guard let type = try await database({ try await store.metricType(uuid, metric) }) else {
                throw .notFound("check \(uuid.lowercasedString) has no metric '\(metric)'")
            }
            guard type != "s" else { throw .badRequest("metric '\(metric)' is text: its changes are in /api/events") }
        }
        let (resolution, step) = SeriesResolution.choose(rangeSeconds: end.timeIntervalSince(start), points: points)
        var series = [(String, [GraphStore.Point])]()
        for metric in metrics {
            let rows = try await database {
                try await store.series(uuid, metric, resolution: resolution, transform: transform, start: start, end: end, stepSeconds: step)
            }
            series.append((metric, rows))
        }
        if format == .csv {
            var csv = CSVText()
            csv.row(["time", "metric", "avg", "min", "max"])
            for (metric, rows) in series {
                for row in rows {
                    csv.row([GraphTime.format(milliseconds: row.time), metric, row.average.map { "\($0)" },
                             row.minimum.map { "\($0)" }, row.maximum.map { "\($0)" }])
                }
            }
            return Self.csv(csv, name: "series")
        }
        var json = JSONText(capacity: series.reduce(256) { $0 + $1.1.count * 64 })
        json.beginObject()
        json.field("check", uuid.lowercasedString)
        json.field("start", GraphTime.format(start))
        json.field("end", GraphTime.format(end))
        json.field("start_ms", GraphTime.milliseconds(start))
        json.field("end_ms", GraphTime.milliseconds(end))
        json.field("points", points)
        json.field("resolution", resolution.rawValue)
        json.field("step_seconds", step)
        json.field("transform", transform.rawValue)
        json.key("series")
        json.beginArray()
        for (metric, rows) in series {
            json.beginObject()
            json.field("metric", metric)
            json.key("rows")
            json.beginArray()
            for row in rows {
                json.beginArray()
                json.integer(row.time)
                json.number(row.average)
                json.number(row.minimum)
                json.number(row.maximum)
                json.endArray()
            }
            json.endArray()
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return Self.json(json)
    }

    // MARK: /api/events

    func events(_ request: Request) async throws(APIError) -> Response {
        let parameters = try APIParameters(request, allowed: ["check", "start", "end", "format"])
        guard let uuid = try parameters.uuid("check") else { throw .badRequest("parameter 'check' is required") }
        let format = try parameters.format()
        let (start, end) = try parameters.timeRange(now: now(), defaultStart: "-6h", maximumSeconds: Self.maximumRangeSeconds)
        _ = try await requireCheck(uuid)
        let events = try await database { try await store.events(uuid, start: start, end: end, limit: Self.maximumEvents + 1) }
        let shown = events.prefix(Self.maximumEvents)
        if format == .csv {
            var csv = CSVText()
            csv.row(["time", "kind", "metric", "from", "to"])
            for event in shown { csv.row([GraphTime.format(event.time), event.kind, event.metric, event.from, event.to]) }
            return Self.csv(csv, name: "events")
        }
        var json = JSONText()
        json.beginObject()
        json.field("check", uuid.lowercasedString)
        json.key("events")
        json.beginArray()
        for event in shown {
            json.beginObject()
            json.field("time", GraphTime.format(event.time))
            json.field("time_ms", Int64((event.time.timeIntervalSince1970 * 1000).rounded()))
            json.field("kind", event.kind)
            json.field("metric", event.metric)
            json.field("from", event.from)
            json.field("to", event.to)
            json.endObject()
        }
        json.endArray()
        json.field("truncated", events.count > Self.maximumEvents)
        json.endObject()
        return Self.json(json)
    }

    // MARK: helpers

    /// The check, or a 404 naming it.
    func requireCheck(_ uuid: UUID) async throws(APIError) -> GraphStore.CheckRow {
        guard let row = try await database({ try await store.check(uuid, now: now()) }) else {
            throw .notFound("no check \(uuid.lowercasedString)")
        }
        return row
    }

    enum Flag: String, CaseIterable {
        case yes = "true", no = "false"
    }
}
