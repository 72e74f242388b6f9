import Synchronization

/// The ICMP engines of a node, one per address family, opened on first use and reopened if
/// their socket ever fails. Every ping_icmp check shares them.
final class PingEngines: Sendable {
    /// Raw sockets first (exact, and the only kind root needs no sysctl for), then datagram sockets.
    static let shared = PingEngines(kinds: [.raw, .datagram])

    let kinds: [PingEngine.Kind]
    private let engines = Mutex<[PingICMPPacket.Family: PingEngine]>([:])

    init(kinds: [PingEngine.Kind]) {
        self.kinds = kinds
    }

    func engine(for family: PingICMPPacket.Family) -> Result<PingEngine, PingEngine.OpenFailure> {
        engines.withLock { engines in
            if let engine = engines[family], engine.isUsable { return .success(engine) }
            let opened = PingEngine.open(family, kinds: kinds)
            if case .success(let engine) = opened { engines[family] = engine }
            return opened
        }
    }

    /// Closes every engine; a later `engine(for:)` opens new ones.
    func shutdown() {
        let open = engines.withLock { engines in
            defer { engines.removeAll() }
            return Array(engines.values)
        }
        for engine in open { engine.close() }
    }
}
