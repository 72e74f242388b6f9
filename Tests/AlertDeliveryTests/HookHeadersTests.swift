import Testing

@testable import AlertDelivery

@Suite("Header list")
struct HookHeadersTests {
    @Test func setReplacesCaseInsensitivelyInPlace() {
        var headers: HookHeaders = [("Content-Type", "a"), ("X-One", "1"), ("content-type", "b")]
        headers.set("CONTENT-TYPE", "c")
        #expect(headers.fields == [.init(name: "CONTENT-TYPE", value: "c"), .init(name: "X-One", value: "1")])
        headers.set("X-Two", "2")
        #expect(headers["x-two"] == "2")
        #expect(headers.fields.count == 3)
    }
}
