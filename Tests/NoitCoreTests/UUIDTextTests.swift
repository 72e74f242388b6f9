import Foundation
import NoitCore
import Testing

@Suite("UUID from text")
struct UUIDTextTests {
    @Test("parses either case to the same value as Foundation")
    func matchesFoundation() throws {
        for text in ["aaaaaaaa-0000-4000-8000-0000000000a1", "F47AC10B-58CC-4372-A567-0E02B2C3D479", "00000000-0000-0000-0000-000000000000"] {
            #expect(UUID(text: text) == UUID(uuidString: text))
            #expect(UUID(text: Substring(text)) != nil)
        }
    }

    @Test("refuses anything that is not the 36-character form")
    func refuses() {
        for text in ["", "f47ac10b-58cc-4372-a567-0e02b2c3d47", "f47ac10b-58cc-4372-a567-0e02b2c3d4790",
                     "f47ac10b058cc-4372-a567-0e02b2c3d479", "g47ac10b-58cc-4372-a567-0e02b2c3d479",
                     "f47ac10b-58cc-4372-a567-0e02b2c3d47é", "{47ac10b-58cc-4372-a567-0e02b2c3d479"] {
            #expect(UUID(text: text) == nil, "\(text)")
        }
    }
}
