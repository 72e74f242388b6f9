import Testing

@testable import NoitCore

@Suite("Module parameter validation")
struct ModuleDescriptorTests {
    let descriptor = ModuleDescriptor(
        name: "web", summary: "test",
        parameters: [
            ModuleParameter("url", required: true, help: "the URL"),
            ModuleParameter("method", default: "GET", allowed: "(GET|HEAD)", help: "verb"),
            ModuleParameter("header_", isPrefix: true, help: "headers"),
        ])

    @Test("accepts a good config and fills defaults")
    func accepts() {
        #expect(descriptor.problems(in: ["url": "http://x/", "method": "HEAD", "header_Host": "x"]).isEmpty)
        #expect(descriptor.applyingDefaults(to: ["url": "u"]) == ["url": "u", "method": "GET"])
    }

    @Test("reports unknown keys with what is allowed, bad values with the pattern, and missing keys")
    func problems() {
        let problems = descriptor.problems(in: ["method": "POST", "colour": "red", "header_": "empty suffix"])
        #expect(problems == [
            .unknownKey("colour", allowed: ["url", "method", "header_*"]),
            .unknownKey("header_", allowed: ["url", "method", "header_*"]),
            .invalidValue(key: "method", value: "POST", allowed: "(GET|HEAD)"),
            .missingRequired("url"),
        ])
        #expect(problems[0].description == "unknown config key 'colour' (allowed: url, method, header_*)")
        #expect(problems[2].description == "config key 'method' has invalid value 'POST' (must match (GET|HEAD))")
    }

    @Test("patterns must match the whole value")
    func wholeMatch() {
        #expect(PatternCache.wholeMatch(AllowedPattern.port, "443"))
        #expect(!PatternCache.wholeMatch(AllowedPattern.port, "4430000"))
        #expect(!PatternCache.wholeMatch(AllowedPattern.port, "0"))
        #expect(!PatternCache.wholeMatch("(GET|HEAD)", "GETX"))
        #expect(!PatternCache.wholeMatch("([", "anything"))
    }
}
