import Testing

@testable import AlertDelivery

@Suite("Response classification")
struct DeliveryClassifierTests {
    func classify(_ status: Int, retryAfter: String? = nil, body: String = "", secrets: [String] = []) -> DeliveryOutcome {
        DeliveryClassifier.classify(status: status, retryAfter: retryAfter, body: Array(body.utf8), nowMs: 784_111_777_000, redacting: secrets)
    }

    @Test(arguments: [200, 201, 202, 204, 299])
    func successIsDelivered(status: Int) {
        #expect(classify(status, body: "{\"status\":\"success\"}") == .delivered(status: status))
    }

    @Test(arguments: [408, 425, 429, 500, 502, 503, 504, 599])
    func transientIsRetryable(status: Int) {
        #expect(classify(status) == .retryable(status: status, retryAfterMs: nil, message: "HTTP \(status)"))
    }

    @Test(arguments: [100, 301, 302, 400, 401, 403, 404, 405, 409, 413, 422, 600])
    func everythingElseIsRejected(status: Int) {
        #expect(classify(status) == .rejected(status: status, message: "HTTP \(status)"))
    }

    @Test func retryAfterIsParsed() {
        #expect(classify(429, retryAfter: "7") == .retryable(status: 429, retryAfterMs: 7_000, message: "HTTP 429"))
        #expect(classify(503, retryAfter: "Sun, 06 Nov 1994 08:50:37 GMT") == .retryable(status: 503, retryAfterMs: 60_000, message: "HTTP 503"))
        #expect(classify(503, retryAfter: "later") == .retryable(status: 503, retryAfterMs: nil, message: "HTTP 503"))
    }

    @Test func rejectionCarriesABodyExcerpt() {
        let body = """
            {"status":"invalid event",
             "message":"Event object is invalid",
             "errors":["'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')"]}
            """
        guard case .rejected(400, let message) = classify(400, body: body) else {
            Issue.record("expected a rejection")
            return
        }
        #expect(message.hasPrefix("HTTP 400: {\"status\":\"invalid event\", \"message\":\"Event object is invalid\""))
        #expect(!message.contains("\n"))
    }

    @Test func secretsEchoedByTheReceiverAreRedacted() {
        let outcome = classify(400, body: "routing key R0UT1NGKEY0123456789abcdefABCDEF is not valid", secrets: ["R0UT1NGKEY0123456789abcdefABCDEF"])
        #expect(outcome == .rejected(status: 400, message: "HTTP 400: routing key [redacted] is not valid"))
    }

    @Test func garbageBodiesAreSafe() {
        var garbage: [UInt8] = [0xFF, 0xFE, 0x00, 0x1B] + Array("[31mred".utf8) + [0xC3]  // invalid UTF-8, NUL, ESC, cut sequence
        garbage += Array("\u{202E}reversed\r\n\u{7}bell".utf8)
        let excerpt = ResponseExcerpt.sanitize(garbage)
        #expect(!excerpt.unicodeScalars.contains { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format })
        #expect(excerpt.contains("[31mred"))
        #expect(excerpt.contains("reversed bell"))
    }

    @Test func hugeBodiesAreBounded() {
        let body = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20)
        let outcome = DeliveryClassifier.classify(status: 500, retryAfter: nil, body: body, nowMs: 0)
        guard case .retryable(500, nil, let message) = outcome else {
            Issue.record("expected retryable")
            return
        }
        #expect(message.utf16.count <= "HTTP 500: ".utf16.count + ResponseExcerpt.defaultMaximumLength)
        #expect(message.hasSuffix("…"))
    }

    @Test func commandResults() {
        #expect(DeliveryClassifier.classify(CommandResult(termination: .exited(0), standardError: Array("noise".utf8)), timeoutMs: 1_000) == .delivered(status: nil))
        #expect(
            DeliveryClassifier.classify(CommandResult(termination: .exited(3), standardError: Array("no route to pager\n".utf8)), timeoutMs: 1_000)
                == .retryable(status: nil, retryAfterMs: nil, message: "command exited with status 3: no route to pager"))
        #expect(
            DeliveryClassifier.classify(CommandResult(termination: .signaled(15), standardError: []), timeoutMs: 1_000)
                == .retryable(status: nil, retryAfterMs: nil, message: "command killed by signal 15"))
        #expect(
            DeliveryClassifier.classify(CommandResult(termination: .timedOut, standardError: []), timeoutMs: 200)
                == .retryable(status: nil, retryAfterMs: nil, message: "command timed out after 200 ms and was killed"))
    }
}
