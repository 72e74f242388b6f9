import AsyncHTTPClient
import NIOCore
import NIOHTTP1

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension HookSender {
    /// One HTTP exchange within `timeoutMs`, covering connect, request, response head and up to
    /// ``ResponseExcerpt/maximumBytes`` of body; the rest of the body is never read.
    func sendHTTP(
        method: String,
        url: String,
        headers: HookHeaders,
        body: [UInt8],
        timeoutMs: Int64,
        nowMs: Int64,
        secrets: [String]
    ) async -> DeliveryOutcome {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        for field in headers { request.headers.add(name: field.name, value: field.value) }
        if !body.isEmpty { request.body = .bytes(ByteBuffer(bytes: body)) }

        let prepared = request
        let clientLogger = silentLogger
        let clock = ContinuousClock()
        let start = clock.now
        do {
            // The client's own deadline covers connecting and the response head, and reports the
            // real cause (such as the last refused connect) when it expires...
            let response = try await httpClient.execute(prepared, deadline: .now() + .milliseconds(timeoutMs), logger: clientLogger)
            // ...but not the body, so the rest of the budget bounds reading the excerpt.
            let spentMs = Int64((clock.now - start) / .milliseconds(1))
            let excerpt = try await Timeout.run(milliseconds: max(1, timeoutMs - spentMs)) {
                try await Self.readExcerpt(of: response.body)
            }
            return DeliveryClassifier.classify(
                status: Int(response.status.code), retryAfter: response.headers.first(name: "Retry-After"), body: excerpt,
                nowMs: nowMs, redacting: secrets
            )
        } catch {
            let deadlinePassed = clock.now - start >= .milliseconds(timeoutMs)
            return .retryable(
                status: nil, retryAfterMs: nil,
                message: Self.describe(error, timeoutMs: timeoutMs, deadlinePassed: deadlinePassed, redacting: secrets))
        }
    }

    /// Up to ``ResponseExcerpt/maximumBytes`` of the body; leaving the loop early drops the stream,
    /// and the client then abandons the rest of the body (and that connection).
    static func readExcerpt(of body: HTTPClientResponse.Body) async throws -> [UInt8] {
        let limit = ResponseExcerpt.maximumBytes
        var collected: [UInt8] = []
        for try await chunk in body {
            collected.append(contentsOf: chunk.readableBytesView.prefix(limit - collected.count))
            if collected.count >= limit { break }
        }
        return collected
    }

    /// A secret-free, single-line description of a transport failure.
    ///
    /// The hook's deadline covers connecting too, so a connect timeout once it has passed is the
    /// hook's timeout: on a busy event loop the client's own connect timer can fire first.
    static func describe(_ error: any Error, timeoutMs: Int64, deadlinePassed: Bool, redacting secrets: [String]) -> String {
        if error is Timeout.Expired { return "request timed out after \(timeoutMs) ms" }
        if error is CancellationError { return "delivery was cancelled" }
        if let clientError = error as? HTTPClientError {
            switch clientError {
            case .deadlineExceeded, .readTimeout, .writeTimeout: return "request timed out after \(timeoutMs) ms"
            case .connectTimeout: return deadlinePassed ? "request timed out after \(timeoutMs) ms" : "connect timed out"
            case .cancelled: return "delivery was cancelled"
            default: break
            }
        }
        if let ioError = error as? IOError {
            // Its own description reads "connection reset (error set): Connection refused)".
            return "network error: \(String(cString: strerror(ioError.errnoCode))) (errno \(ioError.errnoCode))"
        }
        let text = ResponseExcerpt.sanitize(Array(String(describing: error).utf8), redacting: secrets, maximumLength: 240)
        return "network error: \(text)"
    }
}
