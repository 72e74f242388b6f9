import EventLoopExecution
import Feed
import Journal
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import NoitConfig
import ServiceLifecycle
import Synchronization
import X509

/// Serves the journal to aggregators (REFERENCE §6) on a `<listener type="feed">`: TLS that
/// demands a client certificate from the configured CA; the certificate's common name is the
/// journal subscriber. Each connection runs a ``FeedServerMachine``; this type only moves
/// frames and journal reads between it and the world.
final class FeedListener: Service {
    struct Settings: Sendable {
        var host: String
        var port: Int
        /// Subscribers created at start (from the beginning of the journal, so nothing
        /// written before an aggregator's first connection is missed).
        var subscribers: [String]
        /// Any other CN the CA signed is subscribed at the current end on first connect.
        var autoSubscribe: Bool
        var limits = FeedServerMachine.Limits()
        /// How often an idle connection looks for new records.
        var pollInterval: Duration = .milliseconds(100)
        /// An idle connection sends a heartbeat this often.
        var heartbeatInterval: Duration = .seconds(5)

        init(listener: ListenerSettings) {
            host = listener.address
            port = listener.port
            subscribers = (listener.options["subscribers"] ?? "").split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            autoSubscribe = ["true", "on", "yes", "1"].contains(listener.options["auto_subscribe"] ?? "false")
        }
    }

    private let journal: Journal
    private let settings: Settings
    private let tls: NIOSSLContext
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let onListening: @Sendable (SocketAddress) -> Void
    /// The connection serving each subscriber. A new connection under the same CN takes over
    /// and the old one is closed: an aggregator that restarts, or whose old connection died
    /// silently, is back at once instead of waiting for TCP to time out. Two connections
    /// never share a checkpoint.
    private let connected = Mutex<[String: any Channel]>([:])

    init(
        journal: Journal, settings: Settings, tls: TLSConfiguration, eventLoopGroup: any EventLoopGroup,
        logger: Logger, onListening: @escaping @Sendable (SocketAddress) -> Void
    ) throws {
        self.journal = journal
        self.settings = settings
        self.tls = try NIOSSLContext(configuration: tls)
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.onListening = onListening
        for subscriber in settings.subscribers {
            try journal.addSubscriber(subscriber, startingAt: .beginning)
        }
    }

    func run() async throws {
        let tls = self.tls
        let server = try await ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: settings.host, port: settings.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(FeedFrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(FeedFrameEncoder()))
                    return try NIOAsyncChannel<FeedFrame, FeedFrame>(wrappingChannelSynchronously: channel)
                }
            }
        if let address = server.channel.localAddress {
            logger.info("feed listening", metadata: ["address": "\(address)"])
            onListening(address)
        }
        let executor = EventLoopTaskExecutor(loop: server.channel.eventLoop)
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { connections in
                    for try await connection in connections {
                        group.addTask(executorPreference: executor) { await self.serve(connection) }
                    }
                }
            }
        } onGracefulShutdown: {
            server.channel.close(promise: nil)
        }
    }

    private enum Event: Sendable {
        case frame(FeedFrame)
        case failed(String)
        case ended
        case tick
    }

    private func serve(_ connection: NIOAsyncChannel<FeedFrame, FeedFrame>) async {
        let channel = connection.channel
        let peer = channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "unknown"
        try? await connection.executeThenClose { inbound, outbound in
            let (events, sink) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .bufferingNewest(1024))
            await withTaskGroup(of: Void.self) { tasks in
                tasks.addTask {
                    do {
                        for try await frame in inbound { sink.yield(.frame(frame)) }
                        sink.yield(.ended)
                    } catch {
                        sink.yield(.failed("\(error)"))
                    }
                }
                tasks.addTask { [settings] in
                    while !Task.isCancelled {
                        try? await Task.sleep(for: settings.pollInterval)
                        sink.yield(.tick)
                    }
                }
                await self.converse(events: events, outbound: outbound, channel: channel, peer: peer)
                tasks.cancelAll()
            }
        }
    }

    /// Runs one connection's machine until it closes.
    private func converse(
        events: AsyncStream<Event>, outbound: NIOAsyncChannelOutboundWriter<FeedFrame>, channel: any Channel, peer: String
    ) async {
        var machine: FeedServerMachine?
        var subscriber: String?
        defer {
            if let subscriber {
                connected.withLock { connected in
                    if connected[subscriber] === channel { connected[subscriber] = nil }
                }
            }
        }
        var idleTicks = 0
        let ticksPerHeartbeat = max(1, Int(settings.heartbeatInterval / settings.pollInterval))
        for await event in events {
            var actions: [FeedServerMachine.Action]
            switch event {
            case .frame(let frame):
                if machine == nil {
                    // The first frame arrives after the handshake, so the certificate is known.
                    switch await admit(channel: channel, peer: peer) {
                    case .refused(let reason):
                        try? await outbound.write(.goodbye(reason: reason))
                        logger.warning("feed connection refused", metadata: ["peer": "\(peer)", "reason": "\(reason)"])
                        return
                    case .admitted(let name, let checkpoint):
                        subscriber = name
                        machine = FeedServerMachine(subscriber: name, checkpoint: checkpoint, limits: settings.limits)
                        logger.info("feed subscriber connected", metadata: ["peer": "\(peer)", "subscriber": "\(name)", "checkpoint": "\(checkpoint)"])
                    }
                }
                actions = machine!.received(frame)
            case .failed(let reason):
                actions = machine?.failed("malformed input: \(reason)") ?? [.close(reason: "malformed input: \(reason)")]
            case .ended:
                logger.info("feed connection closed by peer", metadata: ["peer": "\(peer)", "subscriber": "\(subscriber ?? "-")"])
                return
            case .tick:
                guard machine != nil else { continue }
                idleTicks += 1
                actions = machine!.dataAvailable()
                if idleTicks % ticksPerHeartbeat == 0 { actions += machine!.heartbeatDue() }
            }
            while !actions.isEmpty {
                let action = actions.removeFirst()
                switch action {
                case .send(let frame):
                    if case .batch = frame { idleTicks = 0 }
                    do {
                        try await outbound.write(frame)
                    } catch {
                        return
                    }
                case .readBatch(let after, let maxRecords, let maxBytes):
                    guard let name = subscriber else { return }
                    do {
                        let batch = try await read(name, after: after, maxRecords: maxRecords, maxBytes: maxBytes)
                        if batch.lost > 0 {
                            logger.error("feed subscriber lost records to the journal's disk cap", metadata: ["subscriber": "\(name)", "lost": "\(batch.lost)"])
                        }
                        actions += machine!.batchRead(batch)
                    } catch {
                        actions += machine!.failed("journal read failed: \(error)")
                    }
                case .advance(let sequence):
                    guard let name = subscriber else { return }
                    do {
                        try await advance(name, to: sequence)
                    } catch {
                        actions += machine!.failed("checkpoint write failed: \(error)")
                    }
                case .close(let reason):
                    try? await outbound.write(.goodbye(reason: reason))
                    logger.warning("feed connection dropped", metadata: ["peer": "\(peer)", "subscriber": "\(subscriber ?? "-")", "reason": "\(reason)"])
                    return
                }
            }
        }
    }

    private enum Admission {
        case admitted(subscriber: String, checkpoint: UInt64)
        case refused(String)
    }

    private func admit(channel: any Channel, peer: String) async -> Admission {
        let der: [UInt8]? = try? await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self).peerCertificate?.toDERBytes()
        }.get()
        guard let der, let certificate = try? Certificate(derEncoded: der),
              let name = certificate.subject.commonName
        else { return .refused("no client certificate common name") }
        let listed = settings.subscribers.contains(name)
        guard listed || settings.autoSubscribe else { return .refused("'\(name)' is not a subscriber of this node") }
        let replaced = connected.withLock { connected in
            defer { connected[name] = channel }
            return connected[name]
        }
        if let replaced {
            logger.notice("feed subscriber reconnected; closing its previous connection", metadata: ["subscriber": "\(name)", "peer": "\(peer)"])
            replaced.close(promise: nil)
        }
        do {
            let journal = self.journal
            let checkpoint = try await NIOThreadPool.singleton.runIfActive {
                try journal.addSubscriber(name, startingAt: listed ? .beginning : .end)
                return journal.subscribers().first { $0.name == name }?.checkpoint ?? 0
            }
            return .admitted(subscriber: name, checkpoint: checkpoint)
        } catch {
            connected.withLock { connected in
                if connected[name] === channel { connected[name] = nil }
            }
            return .refused("cannot subscribe '\(name)': \(error)")
        }
    }

    /// Journal reads and checkpoint writes touch the disk: they run on NIO's blocking pool.
    private func read(_ subscriber: String, after: UInt64, maxRecords: Int, maxBytes: Int) async throws -> FeedBatch {
        let journal = self.journal
        return try await NIOThreadPool.singleton.runIfActive {
            let batch = try journal.readBatch(for: subscriber, after: after, maxRecords: maxRecords, maxBytes: maxBytes)
            return FeedBatch(records: batch.records.map { FeedRecord(sequence: $0.sequence, payload: $0.payload) }, lost: batch.lostBeforeBatch)
        }
    }

    private func advance(_ subscriber: String, to sequence: UInt64) async throws {
        let journal = self.journal
        try await NIOThreadPool.singleton.runIfActive { try journal.advance(subscriber, to: sequence) }
    }
}

extension DistinguishedName {
    /// The most specific common name.
    var commonName: String? {
        for name in reversed() {
            for attribute in name where attribute.type == .RDNAttributeType.commonName {
                return String(describing: attribute.value)
            }
        }
        return nil
    }
}
