/// What a received message is to a query in flight.
enum DNSReplyMatch: Sendable {
    /// The answer to the query.
    case reply(DNSMessage)
    /// Claims to answer the query (same id and question) but does not parse.
    case malformed(DNSParseError)
    /// Someone else's message, a late answer to an earlier query, or noise; ignore it.
    case stray(reason: String)
}
