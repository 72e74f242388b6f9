import Testing

@testable import AlertDelivery

@Suite("Retry-After parsing")
struct RetryAfterTests {
    /// Sun, 06 Nov 1994 08:49:37 GMT
    let dateMs: Int64 = 784_111_777_000

    @Test(arguments: [("7", 7_000), ("0", 0), (" 120 ", 120_000), ("\t3600", 3_600_000), ("5\r\n", 5_000)] as [(String, Int64)])
    func deltaSeconds(header: String, expected: Int64) {
        #expect(RetryAfter.delayMs(headerValue: header, nowMs: 0) == expected)
    }

    @Test(arguments: ["", "   ", "-1", "1.5", "7s", "soon", "+7", "Sun, 06 Nov 1994 08:49:37", "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT"])
    func garbageIsIgnored(header: String) {
        #expect(RetryAfter.delayMs(headerValue: header, nowMs: dateMs) == nil)
    }

    @Test func hugeDeltaSaturates() {
        #expect(RetryAfter.delayMs(headerValue: "99999999999999999999999", nowMs: 0) == .max)
        #expect(RetryAfter.delayMs(headerValue: "9223372036854775807", nowMs: 0) == .max)
    }

    @Test(arguments: [
        "Sun, 06 Nov 1994 08:49:37 GMT",  // IMF-fixdate
        "Sunday, 06-Nov-94 08:49:37 GMT",  // RFC 850
        "Sun Nov  6 08:49:37 1994",  // asctime
        "sun, 06 nov 1994 08:49:37 GMT",  // names are case-insensitive
    ])
    func httpDatesRelativeToNow(header: String) {
        #expect(RetryAfter.delayMs(headerValue: header, nowMs: dateMs - 30_000) == 30_000)
    }

    @Test func pastDateMeansNow() {
        #expect(RetryAfter.delayMs(headerValue: "Sun, 06 Nov 1994 08:49:37 GMT", nowMs: dateMs + 1) == 0)
        #expect(RetryAfter.delayMs(headerValue: "Sun, 06 Nov 1994 08:49:37 GMT", nowMs: .max) == 0)
    }

    @Test func leapDay() {
        #expect(HTTPDate.epochMilliseconds(from: "Thu, 29 Feb 2024 23:59:59 GMT") == 1_709_251_199_000)
        #expect(HTTPDate.epochMilliseconds(from: "Thu, 29 Feb 2023 23:59:59 GMT") == nil)
    }
}
