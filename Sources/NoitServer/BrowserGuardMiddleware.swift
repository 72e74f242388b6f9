import HTTPTypes
import Hummingbird
import NoitCore

/// Puts ``BrowserRequestGuard`` in front of every route: what a web page in an operator's
/// browser could send is refused before any handler reads it.
struct BrowserGuardMiddleware<Context: RequestContext>: RouterMiddleware {
    let browserGuard: BrowserRequestGuard

    static var fetchSite: HTTPField.Name { HTTPField.Name("Sec-Fetch-Site")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let refusal = browserGuard.check(
            method: request.method.rawValue, authority: request.head.authority,
            origin: request.headers[.origin], fetchSite: request.headers[Self.fetchSite],
            contentType: request.headers[.contentType])
        guard let refusal else { return try await next(request, context) }
        return CheckAPI.failure(HTTPResponse.Status(code: refusal.status), refusal.message, json: CheckAPI.wantsJSON(request))
    }
}
