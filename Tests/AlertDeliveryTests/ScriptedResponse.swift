/// What the test receiver does with the next request it gets.
enum ScriptedResponse: Sendable {
    case answer(status: Int, headers: [(String, String)], body: [UInt8])
    /// Reads the request and then stays silent, like a hung receiver.
    case neverAnswer

    static func status(_ status: Int, headers: [(String, String)] = [], body: String = "") -> ScriptedResponse {
        .answer(status: status, headers: headers, body: Array(body.utf8))
    }
}
