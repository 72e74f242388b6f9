import Foundation
import Hummingbird
import HummingbirdTesting
import NIOPosix
import NoitCore
import NoitTestSupport
import PostgresNIO
import ServiceLifecycle
import Stratcon
import StratconAPI
import Testing

/// The graph API against a real PostgreSQL with seeded data: three hours of one-minute runs
/// of a check with a gauge, a counter that resets, a text metric and a bad spell, plus a
/// check that went quiet.
@Suite("Graph API")
struct GraphAPITests {
    static let web = UUID(uuidString: "aaaaaaaa-0000-4000-8000-0000000000a1")!
    static let ssh = UUID(uuidString: "aaaaaaaa-0000-4000-8000-0000000000a2")!
    /// A UTC midnight, so every bucket width divides the offsets below evenly.
    static let t0: Int64 = 1_699_920_000_000
    static let now = Date(timeIntervalSince1970: Double(t0) / 1000 + 180 * 60)

    static func at(minute: Int64, from start: Int64 = t0) -> Timestamp { Timestamp(millisecondsSinceEpoch: start + minute * 60_000) }

    /// Seeds the two checks, the first run at `start` (ms since the epoch).
    static func seed(_ store: ArchiveStore, start: Int64 = t0) async throws {
        func at(minute: Int64) -> Timestamp { Self.at(minute: minute, from: start) }
        var staged = StagedRecords()
        staged.append(.check(timestamp: at(minute: 0), uuid: web, target: "10.0.0.1", module: "http", name: "home <b>page</b>"))
        staged.append(.check(timestamp: at(minute: 0), uuid: ssh, target: "10.0.0.2", module: "tcp", name: "ssh"))
        staged.append(.status(timestamp: at(minute: 0), uuid: ssh, state: .bad, availability: .unavailable, durationMilliseconds: 5, status: "refused"))
        for minute in Int64(0)..<180 {
            let bad = (60..<65).contains(minute)
            staged.append(.status(
                timestamp: at(minute: minute), uuid: web, state: bad ? .bad : .good, availability: .available,
                durationMilliseconds: 10, status: bad ? "500" : "200 OK"))
            staged.append(.metric(timestamp: at(minute: minute), uuid: web, metric: Metric("duration", .double(Double(minute)))))
            let requests = minute < 100 ? 60 * minute : 60 * (minute - 100)
            staged.append(.metric(timestamp: at(minute: minute), uuid: web, metric: Metric("requests", .uint64(UInt64(requests)))))
            staged.append(.metric(timestamp: at(minute: minute), uuid: web, metric: Metric("version", .string(minute < 90 ? "1.0" : "1.1"))))
        }
        try await store.ingest(noit: "noit-a:43192", records: staged)
        try await store.applyAllPendingRollups()
    }

    /// Runs `body` with the API over a fresh, seeded database.
    static func withAPI(_ body: @escaping @Sendable (Application<RouterResponder<BasicRequestContext>>, ArchiveStore, LiveHub) async throws -> Void) async throws {
        try await FreshDatabase.with { configuration, store in
            try await seed(store)
            let client = Self.client(configuration)
            let live = LiveHub()
            let api = GraphAPI(store: GraphStore(client: client, logger: FreshDatabase.logger), feeds: [], live: live, now: { now })
            let application = Application(
                router: buildStratconRouter(api: api, logger: FreshDatabase.logger),
                configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: FreshDatabase.logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                defer { group.cancelAll() }
                try await body(application, store, live)
            }
        }
    }

    static func get(_ client: some TestClientProtocol, _ uri: String) async throws -> (HTTPResponse.Status, [String: Any], String) {
        try await client.execute(uri: uri, method: .get) { response in
            let text = String(buffer: response.body)
            let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
            return (response.status, object, text)
        }
    }

    static func rows(_ document: [String: Any], _ index: Int = 0) -> [[Double?]] {
        let series = document["series"] as? [[String: Any]] ?? []
        guard index < series.count else { return [] }
        return (series[index]["rows"] as? [[Any]] ?? []).map { $0.map { ($0 as? NSNumber)?.doubleValue } }
    }

    @Test("series: a short range comes from the raw archive, long ones from the rollups")
    func resolutionChoice() async throws {
        try await Self.withAPI { app, _, _ in
            try await app.test(.router) { client in
                let hour = try await Self.get(client, "/api/series?check=\(Self.web)&metric=duration&start=-1h&end=now")
                #expect(hour.0 == .ok)
                #expect(hour.1["resolution"] as? String == "raw")
                #expect(hour.1["step_seconds"] as? Int == 10)
                #expect(Self.rows(hour.1).map { $0[1] } == (120..<180).map { Double($0) })

                let days = try await Self.get(client, "/api/series?check=\(Self.web)&metric=duration&start=-2d&end=now&points=400")
                #expect(days.1["resolution"] as? String == "5m")
                #expect(days.1["step_seconds"] as? Int == 600)
                let tenMinutes = Self.rows(days.1)
                #expect(tenMinutes.count == 18)
                #expect(tenMinutes.first == [Double(Self.t0), 4.5, 0, 9])

                let month = try await Self.get(client, "/api/series?check=\(Self.web)&metric=duration&start=-30d&end=now")
                #expect(month.1["resolution"] as? String == "1h")
                #expect(month.1["step_seconds"] as? Int == 7200)
                #expect(Self.rows(month.1).map { Array($0[1...]) } == [[59.5, 0, 119], [149.5, 120, 179]])
            }
        }
    }

    @Test("series: derive gives the rate of change; counter ignores the reset, raw and rolled up")
    func transforms() async throws {
        try await Self.withAPI { app, _, _ in
            try await app.test(.router) { client in
                let derive = try await Self.get(client, "/api/series?check=\(Self.web)&metric=duration&start=-1h&transform=derive")
                let rates = Self.rows(derive.1).compactMap { $0[1] }
                #expect(rates.count == 60)
                #expect(rates.allSatisfy { abs($0 - 1.0 / 60) < 1e-9 })

                let raw = try await Self.get(client, "/api/series?check=\(Self.web)&metric=requests&start=-3h&transform=counter")
                #expect(raw.1["resolution"] as? String == "raw")
                let counter = Self.rows(raw.1)
                // 180 points: the first has no predecessor and the reset gives no rate.
                #expect(counter.count == 178)
                #expect(counter.allSatisfy { $0[1] == 1 && $0[2] == 1 && $0[3] == 1 })

                let rolled = try await Self.get(client, "/api/series?check=\(Self.web)&metric=requests&start=-2d&transform=counter")
                #expect(rolled.1["resolution"] as? String == "5m")
                let buckets = Self.rows(rolled.1)
                #expect(buckets.count == 18)
                #expect(buckets.allSatisfy { $0[1] == 1 })

                let two = try await Self.get(client, "/api/series?check=\(Self.web)&metric=duration&metric=requests&start=-1h")
                let names = (two.1["series"] as? [[String: Any]])?.compactMap { $0["metric"] as? String }
                #expect(names == ["duration", "requests"])
            }
        }
    }

    @Test("events: status changes and text changes in time order, also as CSV")
    func events() async throws {
        try await Self.withAPI { app, _, _ in
            try await app.test(.router) { client in
                let (status, document, _) = try await Self.get(client, "/api/events?check=\(Self.web)&start=-1d")
                #expect(status == .ok)
                let events = (document["events"] as? [[String: Any]] ?? []).map {
                    "\($0["kind"] as? String ?? "?") \($0["metric"] as? String ?? "-") \($0["from"] as? String ?? "nil")→\($0["to"] as? String ?? "nil")"
                }
                #expect(events == [
                    "status - nil→good/available", "text version nil→1.0",
                    "status - good/available→bad/available", "status - bad/available→good/available",
                    "text version 1.0→1.1",
                ])
                // A range starting mid-way knows the state before it: no spurious first event.
                let (_, later, _) = try await Self.get(client, "/api/events?check=\(Self.web)&start=\(Self.t0 / 1000 + 30 * 60)")
                #expect((later["events"] as? [[String: Any]])?.count == 3)

                try await client.execute(uri: "/api/events?check=\(Self.web)&start=-1d&format=csv", method: .get) { response in
                    #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
                    let lines = String(buffer: response.body).split(separator: "\r\n")
                    #expect(lines.first == "time,kind,metric,from,to")
                    #expect(lines.count == 6)
                }
                try await client.execute(uri: "/api/series?check=\(Self.web)&metric=duration&start=-1h&format=csv", method: .get) { response in
                    let lines = String(buffer: response.body).split(separator: "\r\n")
                    #expect(lines.first == "time,metric,avg,min,max")
                    #expect(lines.count == 61)
                    #expect(lines.dropFirst().first?.hasSuffix(",duration,120.0,120.0,120.0") == true)
                }
            }
        }
    }

    @Test("checks: list, search, condition filter, one check with its metrics; data escaped in JSON")
    func checks() async throws {
        try await Self.withAPI { app, _, _ in
            try await app.test(.router) { client in
                let all = try await Self.get(client, "/api/checks")
                let list = all.1["checks"] as? [[String: Any]] ?? []
                #expect(list.compactMap { $0["name"] as? String } == ["home <b>page</b>", "ssh"])
                #expect(list.compactMap { $0["condition"] as? String } == ["good", "stale"])
                #expect(!all.2.contains("<b>"))  // written as \u003c, safe even inside a script block

                let search = try await Self.get(client, "/api/checks?q=SSH")
                #expect((search.1["checks"] as? [[String: Any]])?.count == 1)
                // Form encoding, as the UI's URLSearchParams writes it: + is a space.
                let spaced = try await Self.get(client, "/api/checks?q=home+%3Cb")
                #expect((spaced.1["checks"] as? [[String: Any]])?.count == 1)
                let percent = try await Self.get(client, "/api/checks?q=%25")
                #expect((percent.1["checks"] as? [[String: Any]])?.count == 0)
                let stale = try await Self.get(client, "/api/checks?state=stale")
                #expect((stale.1["checks"] as? [[String: Any]])?.compactMap { $0["uuid"] as? String } == [Self.ssh.lowercasedString])
                let module = try await Self.get(client, "/api/checks?module=http&limit=1")
                #expect(module.1["count"] as? Int == 1)
                #expect(module.1["truncated"] as? Bool == false)
                let limited = try await Self.get(client, "/api/checks?limit=1")
                #expect(limited.1["truncated"] as? Bool == true)
                // The condition filter comes before the limit: the one stale check is found
                // even though it sorts after a limit of one.
                let staleFirst = try await Self.get(client, "/api/checks?state=stale&limit=1")
                #expect((staleFirst.1["checks"] as? [[String: Any]])?.first?["name"] as? String == "ssh")
                #expect(staleFirst.1["truncated"] as? Bool == false)

                let one = try await Self.get(client, "/api/checks/\(Self.web)")
                #expect(one.0 == .ok)
                let status = (one.1["check"] as? [String: Any])?["status"] as? [String: Any]
                #expect(status?["status"] as? String == "200 OK")
                #expect(status?["interval_ms"] as? Int == 60_000)
                let metrics = one.1["metrics"] as? [[String: Any]] ?? []
                #expect(metrics.compactMap { $0["name"] as? String } == ["duration", "requests", "version"])
                #expect(metrics.first?["value"] as? Double == 179)
                #expect(metrics.last?["value"] as? String == "1.1")

                let noits = try await Self.get(client, "/api/noits")
                #expect((noits.1["noits"] as? [[String: Any]])?.first?["name"] as? String == "noit-a:43192")
            }
        }
    }

    @Test("errors: JSON with a message, 400 for bad parameters, 404 for what does not exist")
    func errors() async throws {
        try await Self.withAPI { app, _, _ in
            try await app.test(.router) { client in
                let cases: [(String, HTTPResponse.Status, String)] = [
                    ("/api/checks?strat=bad", .badRequest, "unknown parameter 'strat'"),
                    ("/api/checks?state=purple", .badRequest, "state 'purple'"),
                    ("/api/checks?limit=0", .badRequest, "limit '0'"),
                    ("/api/checks/not-a-uuid", .badRequest, "is not a uuid"),
                    ("/api/checks/\(UUID())", .notFound, "no check"),
                    ("/api/series?metric=duration", .badRequest, "'check'"),
                    ("/api/series?check=\(Self.web)", .badRequest, "'metric'"),
                    ("/api/series?check=\(Self.web)&metric=nope", .notFound, "no metric 'nope'"),
                    ("/api/series?check=\(Self.web)&metric=version", .badRequest, "is text"),
                    ("/api/series?check=\(UUID())&metric=duration", .notFound, "no check"),
                    ("/api/series?check=\(Self.web)&metric=duration&points=100000", .badRequest, "points"),
                    ("/api/series?check=\(Self.web)&metric=duration&start=now&end=-1h", .badRequest, "before end"),
                    ("/api/series?check=\(Self.web)&metric=duration&start=-3000d", .badRequest, "at most"),
                    ("/api/series?check=\(Self.web)&metric=duration&start=yesterday", .badRequest, "is not a time"),
                    ("/api/series?check=\(Self.web)&metric=duration&transform=log", .badRequest, "transform 'log'"),
                    ("/api/series?check=\(Self.web)&metric=duration&format=xml", .badRequest, "format 'xml'"),
                    ("/api/series?check=\(Self.web)&metric=duration&points=1&points=2", .badRequest, "given 2 times"),
                    ("/api/events?check=\(Self.web)&metric=x", .badRequest, "unknown parameter 'metric'"),
                    ("/api/live?check=\(UUID())", .notFound, "no check"),
                    ("/api/nothing", .notFound, "no API endpoint"),
                    ("/api/checks?q=%ff", .badRequest, "not valid form encoding"),
                    ("/api/checks?q=%zz", .badRequest, "not valid form encoding"),
                ]
                for (uri, expected, message) in cases {
                    let (status, document, text) = try await Self.get(client, uri)
                    #expect(status == expected, "\(uri)")
                    #expect((document["error"] as? String)?.contains(message) == true, "\(uri): \(text)")
                }
            }
        }
    }

    /// A pool on the test database, as stratcond's API has one on its own.
    static func client(_ configuration: PostgresConnection.Configuration) -> PostgresClient {
        PostgresClient(configuration: PostgresClient.Configuration(
            host: configuration.host ?? "127.0.0.1", port: configuration.port ?? 5432,
            username: configuration.username, password: nil, database: configuration.database, tls: .disable))
    }

    /// Serves the API (and `web`, when given) on a free loopback port over the database of
    /// `configuration`, the way stratcond runs it: pool, server and live hub in one service
    /// group, stopped gracefully (the hub first) when `body` returns.
    static func serve(
        _ configuration: PostgresConnection.Configuration, web: WebFiles? = nil, now: @escaping @Sendable () -> Date,
        _ body: @escaping @Sendable (_ port: Int, _ live: LiveHub) async throws -> Void
    ) async throws {
        let client = Self.client(configuration)
        let live = LiveHub()
        let api = GraphAPI(store: GraphStore(client: client, logger: FreshDatabase.logger), feeds: [], live: live, now: now)
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let application = Application(
            router: buildStratconRouter(api: api, web: web, logger: FreshDatabase.logger),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) },
            logger: FreshDatabase.logger)
        let services = ServiceGroup(configuration: .init(services: [client, application, live], logger: FreshDatabase.logger))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            do {
                try await body(port, live)
            } catch {
                await services.triggerGracefulShutdown()
                throw error
            }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
        }
    }

    @Test("live: a value stored after the subscription arrives as a server-sent event")
    func liveEvents() async throws {
        try await FreshDatabase.with { configuration, store in
            try await Self.seed(store)
            try await Self.serve(configuration, now: { Self.now }) { port, live in
                let curl = try ChildProcess(executable: "/usr/bin/curl", arguments: ["-sN", "http://127.0.0.1:\(port)/api/live?check=\(Self.web)"])
                #expect(await curl.waitForLine(containing: ": subscribed") != nil)
                var staged = StagedRecords()
                staged.append(.status(timestamp: Self.at(minute: 180), uuid: Self.web, state: .bad, availability: .available, durationMilliseconds: 7, status: "503 <slow>"))
                staged.append(.metric(timestamp: Self.at(minute: 180), uuid: Self.web, metric: Metric("duration", .double(180.5))))
                staged.append(.metric(timestamp: Self.at(minute: 180), uuid: Self.ssh, metric: Metric("duration", .double(1))))
                // What NoitFeed does with every batch: commit, then hand the records to the hub.
                try await store.ingest(noit: "noit-a:43192", records: staged)
                live.publish(staged.records)
                let status = await curl.waitForLine(containing: "\"state\":\"bad\"")
                #expect(status?.contains("503 \\u003cslow>") == true)
                let metric = await curl.waitForLine(containing: "\"name\":\"duration\"")
                #expect(metric?.contains("\"value\":180.5") == true)
                // Shutting down ends the stream: curl sees the end of the response and exits.
                live.finishAll()
                #expect(await curl.waitForExit() == 0)
                // Checked on the whole stream, so a stray event cannot still be on its way.
                #expect(!curl.output.contains { $0.contains("\"value\":1}") })
            }
        }
    }
}
