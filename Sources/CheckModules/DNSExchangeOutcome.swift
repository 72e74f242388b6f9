/// How one query/answer exchange over UDP or TCP ended.
enum DNSExchangeOutcome: Sendable {
    case reply(DNSMessage)
    /// A message that claims to answer the query but does not parse.
    case malformed(DNSParseError)
    /// No answer: the reason, for the check's status ("port unreachable").
    case failed(String)
    case cancelled
}
