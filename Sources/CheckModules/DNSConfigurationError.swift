/// A dns check config that passed the descriptor's patterns but still cannot be queried.
struct DNSConfigurationError: Error, Hashable, Sendable {
    var message: String
}
