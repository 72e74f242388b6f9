/// How an echo reply finds its request: the address it came from and its sequence number.
/// The identifier is not part of it, because datagram ICMP sockets rewrite it in the kernel.
struct PingProbeKey: Hashable, Sendable {
    /// The peer's address, 4 or 16 bytes in network order.
    var address: [UInt8]
    var sequence: UInt16
}
