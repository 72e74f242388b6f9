import CheckModules
import ConsoleServer
import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import NoitConfig
import NoitCore
import ServiceLifecycle
import Synchronization

/// Builds the node and the services that run it, in start-up order; the group shuts them down
/// in reverse, so the scheduler drains before the journal's last flush.
public func buildNoitServices(
    configPath: String,
    eventLoopGroup: any EventLoopGroup,
    logger: Logger,
    onReady: @escaping @Sendable (NoitNode, [String]) -> Void = { _, _ in }
) async throws -> (NoitNode, [ServiceGroupConfiguration.ServiceConfiguration]) {
    let node = try NoitNode(configPath: configPath, eventLoopGroup: eventLoopGroup, logger: logger)
    await node.start()
    let httpListeners = node.currentConfiguration.listeners.filter { $0.type == .http }
    let consoleListeners = node.currentConfiguration.listeners.filter { $0.type == .console }
    let feedListeners = node.currentConfiguration.listeners.filter { $0.type == .feed }
    let ready = ReadyLatch(expected: httpListeners.count + consoleListeners.count + feedListeners.count) { addresses in
        onReady(node, addresses)
    }
    var services: [any Service] = [JournalSyncService(journal: node.journal, logger: logger), node.scheduler]
    for listener in httpListeners {
        let tls = try tlsConfiguration(of: listener, configPath: configPath)
        let scheme = tls == nil ? "http" : "https"
        services.append(
            Application(
                router: buildNodeRouter(
                    node: node, writePolicy: WritePolicy(listener: listener), browserGuard: BrowserRequestGuard(listener: listener)),
                server: try tls.map { try .tls(.http1(), tlsConfiguration: $0) } ?? .http1(),
                configuration: .init(address: .hostname(listener.address, port: listener.port), serverName: "noitd"),
                onServerRunning: { channel in
                    ready.arrived("\(scheme)://\(listener.address):\(channel.localAddress?.port ?? listener.port)")
                },
                logger: logger))
    }
    // Consoles and feeds get a loop of their own: a flooding console client or a busy
    // aggregator then costs that loop's time, never the check loop's.
    if !consoleListeners.isEmpty || !feedListeners.isEmpty {
        let sideLoops = OwnedEventLoopGroup(threads: 1)
        services.append(sideLoops)
        let console = NodeConsole(node: node)
        for listener in consoleListeners {
            services.append(ConsoleServer(
                configuration: ConsoleListenerConfiguration(listener: listener),
                commands: console, eventLoopGroup: sideLoops.group, logger: logger,
                onListening: { address in ready.arrived("telnet://\(listener.address):\(address.port ?? listener.port)") }))
        }
        for listener in feedListeners {
            // The resolver made sure the TLS files are named.
            guard let tls = try tlsConfiguration(of: listener, configPath: configPath) else { continue }
            services.append(try FeedListener(
                journal: node.journal, settings: FeedListener.Settings(listener: listener), tls: tls,
                eventLoopGroup: sideLoops.group, logger: logger,
                onListening: { address in ready.arrived("feed://\(listener.address):\(address.port ?? listener.port)") }))
        }
    }
    services.append(ReloadOnHangupService(node: node))
    if httpListeners.isEmpty && consoleListeners.isEmpty && feedListeners.isEmpty { ready.arrived(nil) }
    var configurations = services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) }
    // Returning from it (an operator's `shutdown`) stops the node like SIGTERM.
    configurations.append(.init(service: node.shutdownRequest, successTerminationBehavior: .gracefullyShutdownGroup))
    return (node, configurations)
}

/// TLS for an HTTP listener with `ssl_cert` and `ssl_key` (PEM files); with `ssl_ca` too,
/// clients must present a certificate that CA signed. Nil for plain HTTP.
func tlsConfiguration(of listener: ListenerSettings, configPath: String = "config") throws -> TLSConfiguration? {
    guard let certificate = listener.options["ssl_cert"], let key = listener.options["ssl_key"] else { return nil }
    // Say which file of which listener is wrong, rather than an OpenSSL error code.
    func refuse(_ message: String) -> ConfigError {
        ConfigError(issues: [ConfigIssue(file: configPath, line: nil, element: "<listener type=\"\(listener.type.rawValue)\">", message: message)])
    }
    for (name, path) in [("ssl_cert", certificate), ("ssl_key", key), ("ssl_ca", listener.options["ssl_ca"])] {
        if let path, !FileManager.default.isReadableFile(atPath: path) { throw refuse("\(name) \(path) cannot be read") }
    }
    let chain: [NIOSSLCertificate]
    let privateKey: NIOSSLPrivateKey
    do {
        chain = try NIOSSLCertificate.fromPEMFile(certificate)
    } catch {
        throw refuse("ssl_cert \(certificate) is not a PEM certificate: \(error)")
    }
    do {
        privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
    } catch {
        throw refuse("ssl_key \(key) is not a PEM private key: \(error)")
    }
    var configuration = TLSConfiguration.makeServerConfiguration(
        certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
    // NIOSSL would accept TLS 1.0 and 1.1; neither is fit for carrying credentials any more.
    configuration.minimumTLSVersion = .tlsv12
    if let authority = listener.options["ssl_ca"] {
        configuration.trustRoots = .file(authority)
        configuration.certificateVerification = .noHostnameVerification
    }
    return configuration
}

/// Calls back once every listener is up, with their addresses.
final class ReadyLatch: Sendable {
    private let state: Mutex<(remaining: Int, addresses: [String])>
    private let done: @Sendable ([String]) -> Void

    init(expected: Int, done: @escaping @Sendable ([String]) -> Void) {
        self.state = Mutex((expected, []))
        self.done = done
    }

    func arrived(_ address: String?) {
        let fire: [String]? = state.withLock { state in
            if let address { state.addresses.append(address) }
            state.remaining -= 1
            return state.remaining == 0 ? state.addresses : nil
        }
        if let fire { done(fire) }
    }
}

extension BrowserRequestGuard {
    /// The names an HTTP listener answers to besides IP literals and localhost: its address
    /// when that is a name, this machine's host name, and its `hosts="a.example,b.example"`.
    init(listener: ListenerSettings) {
        var names: Set<String> = [listener.address, ProcessInfo.processInfo.hostName]
        for name in (listener.options["hosts"] ?? "").split(separator: ",") {
            names.insert(name.trimmingCharacters(in: .whitespaces))
        }
        self.init(hostNames: names.filter { !$0.isEmpty })
    }
}

extension ConsoleListenerConfiguration {
    /// From a `<listener type="console">`; the resolver has validated the options.
    init(listener: ListenerSettings) {
        self.init(
            host: listener.address, port: listener.port, passwordHash: listener.options["password"],
            idleTimeout: .seconds(Int64(listener.options["idle_timeout"] ?? "") ?? 1800),
            maxSessions: Int(listener.options["max_sessions"] ?? "") ?? 64,
            banner: "noitd \(NoitVersion.current) console on \(ProcessInfo.processInfo.hostName)")
    }
}
