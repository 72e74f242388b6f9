import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// stratcond's HTTP side: the JSON API under `/api/`, the web UI from `web-static/`, and
/// Debian's dygraphs at `/vendor/dygraphs/`.
public func buildStratconRouter(api: GraphAPI, alerts: AlertAPI? = nil, web: WebFiles? = nil, logger: Logger) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: SecurityHeadersMiddleware())
    if let web {
        if let vendor = web.dygraphsDirectory {
            router.add(middleware: FileMiddleware(vendor, urlBasePath: "/vendor/dygraphs", logger: logger))
        }
        router.add(middleware: FileMiddleware(web.staticDirectory, searchForIndexHtml: true, logger: logger))
    }
    router.get("/api/noits") { request, _ in await respond { () async throws(APIError) in try await api.noits(request) } }
    router.get("/api/checks") { request, _ in await respond { () async throws(APIError) in try await api.checks(request) } }
    router.get("/api/checks/:uuid") { request, context in
        let uuid = context.parameters.get("uuid") ?? ""
        return await respond { () async throws(APIError) in try await api.check(request, uuid) }
    }
    router.get("/api/series") { request, _ in await respond { () async throws(APIError) in try await api.series(request) } }
    router.get("/api/events") { request, _ in await respond { () async throws(APIError) in try await api.events(request) } }
    router.get("/api/live") { request, _ in await respond { () async throws(APIError) in try await api.live(request) } }
    if let alerts { addAlertRoutes(alerts, to: router) }
    router.get("/api/**") { request, _ in APIError.notFound("no API endpoint \(request.uri.path)").response }
    for method in [HTTPRequest.Method.post, .put, .delete, .patch] {
        router.on("/api/**", method: method) { request, _ in
            APIError.notFound("no API endpoint \(request.method) \(request.uri.path)").response
        }
    }
    return router
}

private func addAlertRoutes(_ alerts: AlertAPI, to router: Router<BasicRequestContext>) {
    router.get("/api/rules") { request, _ in await respond { () async throws(APIError) in try await alerts.rules(request) } }
    router.post("/api/rules") { request, _ in await respond { () async throws(APIError) in try await alerts.putRule(request, name: nil) } }
    router.get("/api/rules/:name") { request, context in
        let name = context.parameters.get("name") ?? ""
        return await respond { () async throws(APIError) in try await alerts.rule(request, name) }
    }
    router.put("/api/rules/:name") { request, context in
        let name = context.parameters.get("name") ?? ""
        return await respond { () async throws(APIError) in try await alerts.putRule(request, name: name) }
    }
    router.delete("/api/rules/:name") { request, context in
        let name = context.parameters.get("name") ?? ""
        return await respond { () async throws(APIError) in try await alerts.deleteRule(request, name) }
    }
    router.get("/api/alerts") { request, _ in await respond { () async throws(APIError) in try await alerts.alerts(request) } }
    router.get("/api/alerts/:id") { request, context in
        let id = context.parameters.get("id") ?? ""
        return await respond { () async throws(APIError) in try await alerts.alert(request, id) }
    }
    router.post("/api/alerts/:id/ack") { request, context in
        let id = context.parameters.get("id") ?? ""
        return await respond { () async throws(APIError) in try await alerts.acknowledge(request, id) }
    }
    router.get("/api/outbox") { request, _ in await respond { () async throws(APIError) in try await alerts.outbox(request) } }
    router.get("/api/silences") { request, _ in await respond { () async throws(APIError) in try await alerts.silences(request) } }
    router.post("/api/silences") { request, _ in await respond { () async throws(APIError) in try await alerts.addSilence(request) } }
    router.delete("/api/silences/:id") { request, context in
        let id = context.parameters.get("id") ?? ""
        return await respond { () async throws(APIError) in try await alerts.endSilence(request, id) }
    }
    router.get("/api/checks/:uuid/alerting") { request, context in
        let uuid = context.parameters.get("uuid") ?? ""
        return await respond { () async throws(APIError) in try await alerts.checkAlerting(request, uuid) }
    }
}

private func respond(_ body: () async throws(APIError) -> Response) async -> Response {
    do {
        return try await body()
    } catch {
        return error.response
    }
}

/// Where the UI's files are: the repository's `web-static/` (or `STRATCON_WEB`), and the
/// system's dygraphs when the package is installed.
public struct WebFiles: Sendable {
    public var staticDirectory: String
    public var dygraphsDirectory: String?

    public init(staticDirectory: String, dygraphsDirectory: String?) {
        self.staticDirectory = staticDirectory
        self.dygraphsDirectory = dygraphsDirectory
    }

    public static func standard() -> WebFiles {
        let environment = ProcessInfo.processInfo.environment
        var directory = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { directory.deleteLastPathComponent() }
        let staticDirectory = environment["STRATCON_WEB"] ?? directory.appendingPathComponent("web-static").path
        let dygraphs = environment["STRATCON_DYGRAPHS"] ?? "/usr/share/javascript/dygraphs"
        let hasDygraphs = FileManager.default.fileExists(atPath: dygraphs + "/dygraph.min.js")
        return WebFiles(staticDirectory: staticDirectory, dygraphsDirectory: hasDygraphs ? dygraphs : nil)
    }
}

/// Every response says: scripts and everything else only from stratcond itself, no framing,
/// no type sniffing. The UI needs nothing else, and an injected script would have nowhere
/// to load from or send to.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] =
            "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        return response
    }
}
