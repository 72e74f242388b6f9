import CheckModules
import Foundation
import Hummingbird
import NoitConfig
import NoitCore

/// The node's HTTP endpoints: `/metrics` and the REST API for checks (README, "The REST API").
/// Every change goes through ``NoitNode/change(by:_:_:)``, exactly like the console's, and
/// needs a credential (``WritePolicy``); what a browser page could send is refused first
/// (``BrowserRequestGuard``).
public func buildNodeRouter(
    node: NoitNode, writePolicy: WritePolicy = WritePolicy(allowedCommonNames: nil),
    browserGuard: BrowserRequestGuard = BrowserRequestGuard()
) -> Router<NodeRequestContext> {
    let router = Router(context: NodeRequestContext.self)
    router.add(middleware: BrowserGuardMiddleware(browserGuard: browserGuard))
    router.get("/metrics") { _, _ -> Response in
        await node.refreshGauges()
        var buffer = [UInt8]()
        node.metrics.emit(into: &buffer)
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
    }
    let api = CheckAPI(node: node, writePolicy: writePolicy)
    router.get("/checks/show") { _, _ in await api.showAll(json: false) }
    router.get("/checks/show.json") { _, _ in await api.showAll(json: true) }
    router.get("/checks/show/:check") { _, context in await api.show(context.parameters.get("check") ?? "") }
    router.put("/checks/set/:check") { request, context in await api.set(context.parameters.get("check") ?? "", request, context) }
    router.delete("/checks/delete/:check") { request, context in await api.delete(context.parameters.get("check") ?? "", request, context) }
    router.post("/checks/test") { request, context in await api.test(request, context) }
    router.get("/config") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/xml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: node.shownRunningConfigXML)))
    }
    router.get("/capa") { _, _ in api.capabilities(json: false) }
    router.get("/capa.json") { _, _ in api.capabilities(json: true) }
    return router
}

/// The handlers behind the check routes.
struct CheckAPI: Sendable {
    let node: NoitNode
    let writePolicy: WritePolicy
    static let maximumBodyBytes = 1 << 20

    func showAll(json: Bool) async -> Response {
        let details = await node.checkDetails()
        return json
            ? Self.document(.ok, CheckRepresentation.json(list: details), json: true)
            : Self.document(.ok, CheckRepresentation.xml(list: details), json: false)
    }

    func show(_ parameter: String) async -> Response {
        let (text, json) = Self.splitFormat(parameter)
        guard let uuid = UUID(uuidString: text) else { return Self.failure(.badRequest, "'\(text)' is not a valid uuid", json: json) }
        return await showDocument(uuid, json: json)
    }

    private func showDocument(_ uuid: UUID, json: Bool, status: HTTPResponse.Status = .ok) async -> Response {
        guard let detail = await node.checkDetail(uuid) else {
            return Self.failure(.notFound, "no check \(uuid.lowercasedString)", json: json)
        }
        return Self.document(status, json ? CheckRepresentation.json(detail) : CheckRepresentation.xml(detail), json: json)
    }

    func set(_ parameter: String, _ request: Request, _ context: NodeRequestContext) async -> Response {
        let (text, jsonSuffix) = Self.splitFormat(parameter)
        var json = jsonSuffix || Self.isJSON(request)
        guard let uuid = UUID(uuidString: text) else { return Self.failure(.badRequest, "'\(text)' is not a valid uuid", json: json) }
        let who: String
        switch await authorize(request, context, json: json) {
        case .success(let author): who = author
        case .failure(let denied): return denied.response
        }
        let parsed = await Self.submission(of: request)
        guard case .success(let submission, let bodyIsJSON) = parsed else { return parsed.failureResponse! }
        json = json || bodyIsJSON
        do {
            try await node.change(by: who, "set check \(uuid.lowercasedString)") { document, current in
                let existing = current.checks.first { $0.definition.uuid == uuid }?.definition
                if let existing {
                    if let module = submission.attribute("module"), module != existing.module {
                        throw ConfigEditError(.invalid, "the module of check \(uuid.lowercasedString) is \(existing.module) and cannot be changed to \(module)")
                    }
                    if let text = submission.attribute("seq"), let given = Int64(text), given <= existing.seq {
                        throw ConfigChangeError.staleSequence(stored: existing.seq, given: given)
                    }
                }
                let config = try Self.keepingSecrets(submission.config, of: current.checks.first { $0.definition.uuid == uuid })
                if (try? document.canonicalPath("/checks")) == nil { try document.addSection(named: "checks", at: "/") }
                let created = try document.replaceCheck(uuid, attributes: submission.attributes, config: config, orCreateAt: "/checks")
                return created ? "created" : existing.map { "was \($0.displayName) period \($0.periodMilliseconds)" }
            }
        } catch {
            return Self.failure(error, json: json)
        }
        return await showDocument(uuid, json: json)
    }

    func delete(_ parameter: String, _ request: Request, _ context: NodeRequestContext) async -> Response {
        let (text, json) = Self.splitFormat(parameter)
        guard let uuid = UUID(uuidString: text) else { return Self.failure(.badRequest, "'\(text)' is not a valid uuid", json: json) }
        let who: String
        switch await authorize(request, context, json: json) {
        case .success(let author): who = author
        case .failure(let denied): return denied.response
        }
        do {
            try await node.change(by: who, "delete check \(uuid.lowercasedString)") { document, current in
                try document.removeCheck(uuid)
                return current.checks.first { $0.definition.uuid == uuid }.map { "was \($0.definition.displayName)" }
            }
        } catch {
            return Self.failure(error, json: json)
        }
        return json
            ? Self.document(.ok, "{\"deleted\": \"\(uuid.lowercasedString)\"}\n", json: true)
            : Self.document(.ok, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<deleted uuid=\"\(uuid.lowercasedString)\"/>\n", json: false)
    }

    /// Runs a submitted check once, transiently: nothing is scheduled, journaled or kept.
    func test(_ request: Request, _ context: NodeRequestContext) async -> Response {
        var json = Self.isJSON(request)
        let who: String
        switch await authorize(request, context, json: json) {
        case .success(let author): who = author
        case .failure(let denied): return denied.response
        }
        let parsed = await Self.submission(of: request)
        guard case .success(let submission, let bodyIsJSON) = parsed else { return parsed.failureResponse! }
        json = json || bodyIsJSON
        let definition: CheckDefinition
        do {
            definition = try transientDefinition(submission)
        } catch {
            // A transient run can start programs too: a refused one is audited like a change.
            node.logger.notice("audit: \(who): test check: refused: \((error as? ConfigChangeError)?.description ?? "\(error)")")
            return Self.failure(error, json: json)
        }
        node.logger.notice("audit: \(who): test check: \(definition.module) \(definition.target)")
        let result = await node.runOnce(definition)
        return json
            ? Self.document(.ok, CheckRepresentation.json(result: result, of: definition), json: true)
            : Self.document(.ok, CheckRepresentation.xml(result: result, of: definition), json: false)
    }

    /// A config sent back as it was shown (GET → edit → PUT): a secret key still holding
    /// ``SecretKeys/placeholder`` keeps the stored value; its own value stays its own, an
    /// inherited one is left out so it stays inherited.
    static func keepingSecrets(_ entries: [ConfigEntry], of configured: ConfiguredCheck?) throws(ConfigEditError) -> [ConfigEntry] {
        var kept = [ConfigEntry]()
        for entry in entries {
            guard entry.value == SecretKeys.placeholder, SecretKeys.isSecret(entry.name) else {
                kept.append(entry)
                continue
            }
            guard let configured, let stored = configured.definition.config[entry.name] else {
                throw ConfigEditError(
                    .invalid, "config key '\(entry.name)' holds \(SecretKeys.placeholder), but the check has no stored value to keep; send the value itself")
            }
            if configured.configSources[entry.name] == "self" { kept.append(ConfigEntry(name: entry.name, value: stored)) }
        }
        return kept
    }

    /// Validates a submission exactly as a check in the running config would be (same
    /// modules, bounds and filtersets), without touching the running config.
    private func transientDefinition(_ submission: CheckSubmission) throws -> CheckDefinition {
        let uuid = UUID()
        return try node.withRunningDocument { running throws -> CheckDefinition in
            let scratch = running.copy()
            do throws(ConfigEditError) {
                // A transient check has nothing stored: a placeholder is refused, not run.
                let config = try Self.keepingSecrets(submission.config, of: nil)
                if (try? scratch.canonicalPath("/checks")) == nil { try scratch.addSection(named: "checks", at: "/") }
                try scratch.addCheck(uuid, attributes: submission.attributes.filter { $0.name != "seq" }, config: config, at: "/checks")
            } catch {
                throw ConfigChangeError.edit(error)
            }
            let resolved: NoitConfiguration
            do throws(ConfigError) {
                resolved = try scratch.resolve(modules: { node.modules.descriptor(named: $0) })
            } catch {
                // Only what is wrong with the submitted check matters, not the running config.
                let own = error.issues.filter { $0.element?.contains(uuid.lowercasedString) ?? false }
                throw ConfigChangeError.rejected(ConfigError(issues: own.isEmpty ? error.issues : own))
            }
            guard let definition = resolved.checks.first(where: { $0.definition.uuid == uuid })?.definition else {
                throw ConfigChangeError.edit(ConfigEditError(.invalid, "the check did not resolve"))
            }
            return definition
        }
    }

    func capabilities(json: Bool) -> Response {
        let now = Timestamp(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000))
        let services = ["/checks/show", "/checks/set", "/checks/delete", "/checks/test", "/config", "/capa", "/metrics"]
        let modules = node.modules.descriptors
        if json {
            struct Capabilities: Encodable {
                var version: String
                var time: String
                var services: [String]
                var modules: [String: String]
            }
            let body = Capabilities(
                version: NoitVersion.current, time: now.recordText, services: services,
                modules: Dictionary(modules.map { ($0.name, $0.summary) }, uniquingKeysWith: { a, _ in a }))
            return Self.document(.ok, CheckRepresentation.json(body), json: true)
        }
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<noit_capabilities>\n"
        text += "  <version>\(NoitVersion.current)</version>\n  <current_time>\(now.recordText)</current_time>\n  <services>\n"
        for service in services { text += "    <service path=\"\(service)\"/>\n" }
        text += "  </services>\n  <modules>\n"
        for module in modules {
            text += "    <module name=\"\(CheckRepresentation.escape(module.name))\">\(CheckRepresentation.escape(module.summary))</module>\n"
        }
        return Self.document(.ok, text + "  </modules>\n</noit_capabilities>\n", json: false)
    }

    // MARK: - Helpers

    /// A refused change, carried as an error so `authorize` can return a `Result`.
    struct Denied: Error {
        let response: Response
    }

    /// Who is asking, for the audit line, if they may change checks; the refusal otherwise.
    private func authorize(_ request: Request, _ context: NodeRequestContext, json: Bool) async -> Result<String, Denied> {
        let commonName = await context.clientCommonName()
        let decision = writePolicy.decide(
            authorization: request.headers[.authorization], commonName: commonName,
            tokens: node.currentConfiguration.access.apiTokens)
        switch decision {
        case .allowed(let credential):
            return .success("rest \(context.peer) \(credential)")
        case .refused(let status, let message):
            node.logger.notice("audit: rest \(context.peer): change refused: \(message)")
            var response = Self.failure(status, message, json: json)
            if status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer realm=\"noitd\"" }
            return .failure(Denied(response: response))
        }
    }

    static func splitFormat(_ parameter: String) -> (String, json: Bool) {
        parameter.hasSuffix(".json") ? (String(parameter.dropLast(5)), true) : (parameter, false)
    }

    static func isJSON(_ request: Request) -> Bool {
        request.headers[.contentType]?.lowercased().contains("json") ?? false
    }

    /// Errors in JSON for a JSON request or a `.json` path, XML otherwise.
    static func wantsJSON(_ request: Request) -> Bool {
        isJSON(request) || request.uri.path.hasSuffix(".json") || (request.headers[.accept]?.contains("json") ?? false)
    }

    /// The body as a submission, parsed as its declared Content-Type says (the browser guard
    /// has refused any other type): JSON for a JSON type, XML otherwise.
    enum SubmissionOutcome {
        case success(CheckSubmission, isJSON: Bool)
        case failure(Response)

        var failureResponse: Response? {
            if case .failure(let response) = self { return response }
            return nil
        }
    }

    static func submission(of request: Request) async -> SubmissionOutcome {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maximumBodyBytes)
        } catch {
            return .failure(failure(.contentTooLarge, "body larger than \(maximumBodyBytes) bytes", json: isJSON(request)))
        }
        let bytes = Array(buffer.readableBytesView)
        let json = isJSON(request)
        do throws(ConfigEditError) {
            return .success(json ? try CheckSubmission.parse(json: bytes) : try CheckSubmission.parse(xml: bytes), isJSON: json)
        } catch {
            return .failure(failure(.badRequest, error.message, json: json))
        }
    }

    static func failure(_ error: any Error, json: Bool) -> Response {
        guard let error = error as? ConfigChangeError else {
            if let edit = error as? ConfigEditError { return failure(ConfigChangeError.edit(edit), json: json) }
            return failure(.internalServerError, "\(error)", json: json)
        }
        let status: HTTPResponse.Status = error.isConflict ? .conflict : error.isNotFound ? .notFound : {
            if case .write = error { return .internalServerError }
            return .badRequest
        }()
        return failure(status, error.description, json: json)
    }

    static func failure(_ status: HTTPResponse.Status, _ message: String, json: Bool) -> Response {
        if json {
            struct Failure: Encodable { var error: String }
            return document(status, CheckRepresentation.json(Failure(error: message)), json: true)
        }
        return document(status, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<error>\(CheckRepresentation.escape(message))</error>\n", json: false)
    }

    static func document(_ status: HTTPResponse.Status, _ text: String, json: Bool) -> Response {
        Response(
            status: status,
            headers: [.contentType: json ? "application/json; charset=utf-8" : "application/xml; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
