import Testing

@testable import ConsoleServer

@Suite struct ConsolePasswordTests {
    @Test func hashAndVerify() {
        let hash = ConsolePassword.hash("s3cret", iterations: 1000)
        let parts = hash.split(separator: "$")
        #expect(parts.count == 4)
        #expect(parts[0] == "pbkdf2-sha256")
        #expect(parts[1] == "1000")
        #expect(ConsolePassword.verify("s3cret", against: hash))
        #expect(!ConsolePassword.verify("s3cret ", against: hash))
        #expect(!ConsolePassword.verify("", against: hash))
        // A fresh salt every time.
        #expect(ConsolePassword.hash("s3cret", iterations: 1000) != hash)
    }

    @Test func malformedHashesNeverVerify() {
        for bad in ["", "s3cret", "pbkdf2-sha256$1000$$", "pbkdf2-sha256$x$AAAA$AAAA", "md5$1$AAAA$AAAA",
                    "pbkdf2-sha256$0$c2FsdHNhbHRzYWx0c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5",
                    "pbkdf2-sha256$99999999999$c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5",
                    "pbkdf2-sha256$1000$!!!$a2V5a2V5a2V5a2V5a2V5a2V5",
                    "pbkdf2-sha256$1000$c2FsdA==$a2V5"] {
            #expect(!ConsolePassword.verify("s3cret", against: bad), "\(bad)")
        }
    }
}
