import Alerting
import Detection
import Foundation
import Hummingbird
import NIOCore
import NoitCore

/// `/api/rules`, `/api/alerts`, `/api/outbox`, `/api/silences` and a check's alerting view
/// (`/api/checks/<uuid>/alerting`): what the rules are, what is open, what was sent, and the
/// bands and trends the graphs draw.
public struct AlertAPI: Sendable {
    public static let maximumBody = 64 * 1024
    let store: AlertStore
    let engine: AlertEngine?
    let now: @Sendable () -> Date

    public init(store: AlertStore, engine: AlertEngine?, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.engine = engine
        self.now = now
    }

    var nowMs: Int64 { Int64((now().timeIntervalSince1970 * 1000).rounded(.down)) }

    // MARK: /api/rules

    func rules(_ request: Request) async throws(APIError) -> Response {
        _ = try APIParameters(request, allowed: [])
        let rules = try await database { try await store.rules() }
        var json = JSONText()
        json.beginObject()
        json.key("rules")
        json.beginArray()
        for stored in rules { write(stored, to: &json) }
        json.endArray()
        json.endObject()
        return GraphAPI.json(json)
    }

    func rule(_ request: Request, _ name: String) async throws(APIError) -> Response {
        _ = try APIParameters(request, allowed: [])
        let rules = try await database { try await store.rules() }
        guard let stored = rules.first(where: { $0.attributes["name"] == name }) else { throw .notFound("no rule named '\(name)'") }
        var json = JSONText()
        write(stored, to: &json)
        return GraphAPI.json(json)
    }

    private func write(_ stored: AlertStore.StoredRule, to json: inout JSONText) {
        json.beginObject()
        for (key, value) in stored.attributes.sorted(by: { $0.key < $1.key }) { json.field(key, value) }
        json.field("source", stored.source.rawValue)
        json.field("updated_at", time: Int64(stored.updatedAt.timeIntervalSince1970 * 1000))
        if let problem = stored.problem { json.field("problem", problem) }
        json.endObject()
    }

    /// POST creates (409 when the name exists); PUT creates or replaces the named rule.
    func putRule(_ request: Request, name: String?) async throws(APIError) -> Response {
        _ = try APIParameters(request, allowed: [])
        var attributes = try await Self.attributes(request)
        if let name {
            if let given = attributes["name"], given != name { throw .badRequest("the body names '\(given)' but the address names '\(name)'") }
            attributes["name"] = name
        }
        let rule: AlertRule
        do {
            rule = try AlertRule(attributes: attributes, source: .api)
        } catch {
            throw .badRequest("rule refused: \(error.description)")
        }
        let result = try await database { try await store.putRule(rule, replacing: name != nil) }
        switch result {
        case .exists:
            throw APIError(status: .conflict, message: "a rule named '\(rule.name)' exists; PUT /api/rules/\(rule.name) replaces it")
        case .refusedConfigRule:
            throw APIError(status: .conflict, message: "rule '\(rule.name)' is defined in stratcon.conf; change it there")
        case .created, .replaced:
            engine?.rulesChanged()
            var json = JSONText()
            write(AlertStore.StoredRule(rule: rule, attributes: rule.attributes, source: .api, updatedAt: now()), to: &json)
            return GraphAPI.json(json, status: result == .created ? .created : .ok)
        case .notFound, .deleted:
            throw .notFound("no rule named '\(rule.name)'")
        }
    }

    func deleteRule(_ request: Request, _ name: String) async throws(APIError) -> Response {
        _ = try APIParameters(request, allowed: [])
        switch try await database({ try await store.deleteRule(name) }) {
        case .refusedConfigRule:
            throw APIError(status: .conflict, message: "rule '\(name)' is defined in stratcon.conf; remove it there")
        case .notFound:
            throw .notFound("no rule named '\(name)'")
        default:
            engine?.rulesChanged()
            return Response(status: .noContent)
        }
    }

    /// A JSON object whose values are text, numbers, booleans or lists of text, as the rule's
    /// attributes (lists joined with commas).
    static func attributes(_ request: Request) async throws(APIError) -> [String: String] {
        let data = try await body(request)
        guard let object = try? JSONDecoder().decode([String: AttributeValue].self, from: data) else {
            throw .badRequest("the body must be a JSON object whose values are text, numbers, booleans or lists of text")
        }
        return object.mapValues(\.text)
    }

    /// A rule attribute as JSON may give it.
    enum AttributeValue: Decodable {
        case text(String)
        case flag(Bool)
        case number(Double)
        case list([String])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) { self = .text(text) } else if let flag = try? container.decode(Bool.self) {
                self = .flag(flag)
            } else if let number = try? container.decode(Double.self) { self = .number(number) } else {
                self = .list(try container.decode([String].self))
            }
        }

        var text: String {
            switch self {
            case .text(let text): text
            case .flag(let flag): flag ? "true" : "false"
            case .number(let number): AlertRule.numberText(number)
            case .list(let list): list.joined(separator: ",")
            }
        }
    }

    static func body(_ request: Request) async throws(APIError) -> Data {
        do {
            return Data(try await request.body.collect(upTo: maximumBody).readableBytesView)
        } catch {
            throw APIError(status: .contentTooLarge, message: "the body may hold at most \(maximumBody) bytes")
        }
    }

    static func jsonObject(_ request: Request) async throws(APIError) -> [String: Any] {
        let data = try await body(request)
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw .badRequest("the body must be a JSON object")
        }
        return object
    }

    // MARK: /api/alerts

    func alerts(_ request: Request) async throws(APIError) -> Response {
        let parameters = try APIParameters(request, allowed: ["state", "check", "limit"])
        let state = try parameters.choice("state", default: AlertStore.AlertStateFilter.open)
        let check = try parameters.uuid("check", required: false)
        let limit = try parameters.integer("limit", default: 500, range: 1...10_000)
        let alerts = try await database { try await store.alerts(state: state, check: check, limit: limit) }
        var json = JSONText()
        json.beginObject()
        json.key("alerts")
        json.beginArray()
        for alert in alerts { write(alert, to: &json) }
        json.endArray()
        json.endObject()
        return GraphAPI.json(json)
    }

    func alert(_ request: Request, _ idText: String) async throws(APIError) -> Response {
        _ = try APIParameters(request, allowed: [])
        let id = try Self.id(idText)
        guard let alert = try await database({ try await store.alert(id: id) }) else { throw .notFound("no alert \(id)") }
        let history = try await database { try await store.history(alert: id) }
        let outbox = try await database { try await store.outbox(state: nil, alert: id, limit: 1000) }
        var json = JSONText()
        json.beginObject()
        json.key("alert")
        write(alert, to: &json)
        json.key("history")
        json.beginArray()
        for entry in history {
            json.beginObject()
            json.field("at", time: entry.atMs)
            json.field("event", entry.event)
            json.field("detail", entry.detail)
            json.endObject()
        }
        json.endArray()
        json.key("outbox")
        json.beginArray()
        for entry in outbox { write(entry, to: &json) }
        json.endArray()
        json.endObject()
        return GraphAPI.json(json)
    }

    func acknowledge(_ request: Request, _ idText: String) async throws(APIError) -> Response {
        _ = try APIParameters(request, allowed: [])
        let id = try Self.id(idText)
        let object = try await Self.jsonObject(request)
        let by = (object["by"] as? String) ?? ""
        let note = (object["note"] as? String) ?? ""
        guard !by.isEmpty, by.count <= 200, note.count <= 2000 else { throw .badRequest("by (who acknowledges, up to 200 characters) is required; note is at most 2000") }
        guard try await database({ try await store.alert(id: id) }) != nil else { throw .notFound("no alert \(id)") }
        let done = try await database { try await store.acknowledge(alert: id, by: by, note: note) }
        guard done else { throw APIError(status: .conflict, message: "alert \(id) is already acknowledged") }
        return try await alert(request, idText)
    }

    private func write(_ alert: AlertRecord, to json: inout JSONText) {
        json.beginObject()
        json.field("id", alert.id)
        json.field("key", alert.key)
        json.field("rule", alert.rule)
        json.field("uuid", alert.check.lowercasedString)
        json.field("check", alert.checkName)
        json.field("target", alert.target)
        json.field("metric", alert.metric.isEmpty ? nil : alert.metric)
        json.field("severity", alert.severity)
        json.field("state", alert.state)
        json.field("opened_at", time: alert.openedAtMs)
        json.field("resolved_at", time: alert.resolvedAtMs)
        json.field("acknowledged_at", time: alert.acknowledgedAtMs)
        json.field("acknowledged_by", alert.acknowledgedBy)
        json.field("value", alert.value)
        json.field("summary", alert.summary)
        json.field("silenced", alert.silenced)
        json.key("details")
        json.beginObject()
        for (key, value) in alert.details.sorted(by: { $0.key < $1.key }) { json.field(key, value) }
        json.endObject()
        json.endObject()
    }

    // MARK: /api/outbox

    enum OutboxState: String, CaseIterable { case pending, delivered, rejected, abandoned, all }

    func outbox(_ request: Request) async throws(APIError) -> Response {
        let parameters = try APIParameters(request, allowed: ["state", "limit"])
        let state = try parameters.choice("state", default: OutboxState.all)
        let limit = try parameters.integer("limit", default: 500, range: 1...10_000)
        let entries = try await database { try await store.outbox(state: state == .all ? nil : state.rawValue, alert: nil, limit: limit) }
        var json = JSONText()
        json.beginObject()
        json.key("outbox")
        json.beginArray()
        for entry in entries { write(entry, to: &json) }
        json.endArray()
        json.endObject()
        return GraphAPI.json(json)
    }

    private func write(_ entry: OutboxEntry, to json: inout JSONText) {
        json.beginObject()
        json.field("id", entry.id)
        json.field("alert_id", entry.alertID)
        json.field("key", entry.key)
        json.field("hook", entry.hook)
        json.field("action", entry.action.rawValue)
        json.field("state", entry.state)
        json.field("attempts", entry.attempts)
        json.field("created_at", time: entry.createdAtMs)
        json.field("next_attempt_at", time: entry.state == "pending" ? entry.nextAttemptAtMs : nil)
        json.field("delivered_at", time: entry.deliveredAtMs)
        json.field("last_status", entry.lastStatus.map(Int64.init))
        json.field("last_error", entry.lastError)
        json.endObject()
    }

    // MARK: /api/silences

    func silences(_ request: Request) async throws(APIError) -> Response {
        let parameters = try APIParameters(request, allowed: ["expired"])
        let expired = try parameters.choice("expired", default: GraphAPI.Flag.no) == .yes
        let list = try await database { try await store.silences(includeExpired: expired, nowMs: nowMs) }
        var json = JSONText()
        json.beginObject()
        json.key("silences")
        json.beginArray()
        for silence in list { write(silence, to: &json) }
        json.endArray()
        json.endObject()
        return GraphAPI.json(json)
    }

    /// `{"rule"?, "check"? (uuid), "target"? (pattern), "start"? (default now), "end" or
    /// "duration" (e.g. "2h"), "comment", "created_by"}`; at least one matcher.
    func addSilence(_ request: Request) async throws(APIError) -> Response {
        _ = try APIParameters(request, allowed: [])
        let object = try await Self.jsonObject(request)
        let allowed: Set<String> = ["rule", "check", "target", "start", "end", "duration", "comment", "created_by"]
        if let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw .badRequest("unknown field '\(unknown)' (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
        func text(_ key: String) throws(APIError) -> String? {
            guard let value = object[key] else { return nil }
            guard let text = value as? String, text.count <= 2000 else { throw .badRequest("\(key) must be text") }
            return text.isEmpty ? nil : text
        }
        let rule = try text("rule"), target = try text("target")
        var check: UUID?
        if let uuidText = try text("check") {
            guard let uuid = UUID(uuidString: uuidText) else { throw .badRequest("check '\(uuidText)' is not a uuid") }
            check = uuid
        }
        guard rule != nil || check != nil || target != nil else {
            throw .badRequest("a silence needs at least one of rule, check or target (use target \"*\" to silence everything)")
        }
        let current = now()
        var start = current
        if let startText = try text("start") {
            guard let parsed = GraphTime.parse(startText, now: current) else { throw .badRequest("start '\(startText)' is not a time") }
            start = parsed
        }
        let startMs = Int64((start.timeIntervalSince1970 * 1000).rounded(.down))
        var endMs: Int64
        if let endText = try text("end") {
            guard let parsed = GraphTime.parse(endText, now: current) else { throw .badRequest("end '\(endText)' is not a time") }
            endMs = Int64((parsed.timeIntervalSince1970 * 1000).rounded(.down))
        } else if let durationText = try text("duration") {
            guard let duration = AlertDurationText.milliseconds(durationText) else { throw .badRequest("duration '\(durationText)' must look like 30m, 2h, 1d") }
            endMs = startMs + duration
        } else {
            throw .badRequest("give end or duration")
        }
        guard endMs > startMs else { throw .badRequest("the silence must end after it starts") }
        let silence = AlertSilence(
            rule: rule, check: check, target: target.map(GlobPattern.init), startsAtMs: startMs, endsAtMs: endMs,
            comment: try text("comment") ?? "", createdBy: try text("created_by") ?? "")
        let id = try await database { try await store.addSilence(silence) }
        var stored = silence
        stored.id = id
        var json = JSONText()
        write(stored, to: &json)
        return GraphAPI.json(json, status: .created)
    }

    func endSilence(_ request: Request, _ idText: String) async throws(APIError) -> Response {
        _ = try APIParameters(request, allowed: [])
        let id = try Self.id(idText)
        guard try await database({ try await store.endSilence(id: id, nowMs: nowMs) }) else { throw .notFound("no active silence \(id)") }
        return Response(status: .noContent)
    }

    private func write(_ silence: AlertSilence, to json: inout JSONText) {
        json.beginObject()
        json.field("id", silence.id)
        json.field("rule", silence.rule)
        json.field("check", silence.check?.lowercasedString)
        json.field("target", silence.target?.text)
        json.field("starts_at", time: silence.startsAtMs)
        json.field("ends_at", time: silence.endsAtMs)
        json.field("active", silence.isActive(atMs: nowMs))
        json.field("comment", silence.comment)
        json.field("created_by", silence.createdBy)
        json.endObject()
    }

    // MARK: /api/checks/<uuid>/alerting

    /// What the rules say about a check now, and for `metric` over `start`…`end`, the anomaly
    /// band and the trend line at `points` times (including `horizon` ahead for forecasts).
    func checkAlerting(_ request: Request, _ uuidText: String) async throws(APIError) -> Response {
        let parameters = try APIParameters(request, allowed: ["metric", "start", "end", "points"])
        guard let uuid = UUID(uuidString: uuidText) else { throw .badRequest("'\(uuidText)' is not a uuid") }
        let (start, end) = try parameters.timeRange(now: now(), defaultStart: "-1d", maximumSeconds: GraphAPI.maximumRangeSeconds)
        let points = try parameters.integer("points", default: 200, range: 2...GraphAPI.maximumPoints)
        let metric = try parameters.single("metric")
        let series = engine?.series(of: uuid) ?? []
        let open = try await database { try await store.alerts(state: .open, check: uuid, limit: 1000) }
        var json = JSONText()
        json.beginObject()
        json.key("series")
        json.beginArray()
        for view in series {
            json.beginObject()
            json.field("rule", view.key.rule)
            json.field("kind", view.kind?.rawValue)
            json.field("metric", view.key.metric.isEmpty ? nil : view.key.metric)
            json.field("condition", view.condition?.rawValue)
            json.field("summary", view.summary)
            json.field("open", view.open)
            json.endObject()
        }
        json.endArray()
        json.key("open_alerts")
        json.beginArray()
        for alert in open { write(alert, to: &json) }
        json.endArray()
        if let metric, let engine {
            let startMs = Int64(start.timeIntervalSince1970 * 1000), endMs = Int64(end.timeIntervalSince1970 * 1000)
            let step = max(1, (endMs - startMs) / Int64(points - 1))
            let times = (0..<points).map { startMs + Int64($0) * step }
            let found = engine.bands(check: uuid, metric: metric, times: times)
            json.key("bands")
            json.beginArray()
            for entry in found {
                guard let band = entry.band else { continue }
                json.beginObject()
                json.field("rule", entry.rule)
                json.field("metric", metric)
                json.key("points")
                json.beginArray()
                for (time, value) in zip(times, band) {
                    guard let value else { continue }
                    json.beginArray()
                    json.integer(time)
                    json.number(value.lower)
                    json.number(value.expected)
                    json.number(value.upper)
                    json.endArray()
                }
                json.endArray()
                json.endObject()
            }
            json.endArray()
            json.key("trends")
            json.beginArray()
            for entry in found {
                guard let trend = entry.trend else { continue }
                json.beginObject()
                json.field("rule", entry.rule)
                json.field("metric", metric)
                json.field("level", entry.level)
                json.field("slope_per_second", trend.slopePerMs * 1000)
                json.key("points")
                json.beginArray()
                for time in [startMs, endMs] {
                    json.beginArray()
                    json.integer(time)
                    json.number(trend.value(atMs: time))
                    json.endArray()
                }
                json.endArray()
                json.endObject()
            }
            json.endArray()
        }
        json.endObject()
        return GraphAPI.json(json)
    }

    // MARK: Helpers

    static func id(_ text: String) throws(APIError) -> Int64 {
        guard let id = Int64(text), id > 0 else { throw .badRequest("'\(text)' is not an id") }
        return id
    }
}
