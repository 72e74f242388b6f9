/// What asking one question found, over UDP and, when the UDP answer was truncated, TCP.
struct DNSLookup: Sendable {
    var outcome: DNSExchangeOutcome
    /// The UDP answer had TC set, so `outcome` is the TCP retry's.
    var usedTCP: Bool
    /// From sending the first query to the end of the last exchange.
    var roundTripMilliseconds: Double
}
