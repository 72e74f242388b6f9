import AlertDelivery
import Alerting
import AsyncHTTPClient
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import ServiceLifecycle

/// stratcond's storage side, built: the services in start order, the feeds, where the
/// database is, and how the HTTP API's pool reaches it.
public struct StratconStorage: Sendable {
    public var services: [any Service]
    public var feeds: [NoitFeed]
    public var live: LiveHub
    /// Rules on every stored value, and the outbox to the hooks.
    public var alerts: AlertEngine
    public var databaseDescription: String
    public var clientConfiguration: PostgresClient.Configuration
}

/// Builds stratcond: its database (the embedded cluster, started here, or a configured
/// server) and one feed per noit, in service order; the group stops them in reverse, so
/// the feeds finish before the embedded cluster stops.
public func buildStratconServices(
    configuration: StratconConfiguration, eventLoopGroup: any EventLoopGroup, logger: Logger
) async throws -> StratconStorage {
    var services = [any Service]()
    let postgres: PostgresConnection.Configuration
    let client: PostgresClient.Configuration
    let description: String
    switch configuration.database {
    case .embedded(let port):
        let embedded = EmbeddedPostgres(dataDirectory: configuration.dataPath, port: port, logger: logger)
        try await embedded.start()
        services.append(embedded)
        postgres = embedded.connectionConfiguration
        client = PostgresClient.Configuration(
            unixSocketPath: embedded.socketPath, username: EmbeddedPostgres.superuser, password: nil, database: EmbeddedPostgres.database)
        description = "embedded at \(embedded.clusterDirectory) (127.0.0.1:\(port))"
    case .external(let host, let port, let user, let password, let database, let requireTLS):
        postgres = PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database,
            tls: requireTLS ? .require(try NIOSSLContext(configuration: .makeClientConfiguration())) : .disable)
        client = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database,
            tls: requireTLS ? .require(.makeClientConfiguration()) : .disable)
        description = "postgres://\(user)@\(host):\(port)/\(database)"
    }
    let migrator = try SchemaMigrator(directory: SchemaMigrator.defaultDirectory())
    // Migrate once up front, so a schema that does not apply stops stratcond at start.
    let setup = try await ArchiveStore.connect(
        configuration: postgres, migrator: migrator, eventLoop: eventLoopGroup.next(), id: 0, logger: logger)
    await setup.close()

    services.append(PartitionMaintenance(
        settings: .init(rawRetentionDays: configuration.rawRetentionDays), configuration: postgres, migrator: migrator,
        eventLoop: eventLoopGroup.next(), logger: logger))

    let backlog = BacklogSignal()
    services.append(RollupWorker(
        configuration: postgres, migrator: migrator, eventLoop: eventLoopGroup.next(), backlog: backlog, logger: logger))

    var tls = TLSConfiguration.makeClientConfiguration()
    if !configuration.noits.isEmpty {
        tls.certificateChain = try NIOSSLCertificate.fromPEMFile(configuration.certificatePath).map { .certificate($0) }
        tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: configuration.keyPath, format: .pem))
        tls.trustRoots = .file(configuration.authorityPath)
    }
    // Alerting: its own small pool, an HTTP client for the hooks, the outbox, the engine.
    // Before the feeds in the group, so it stops after them and judges their last batches.
    var alertPool = client
    alertPool.options.maximumConnections = 4
    let alertClient = PostgresClient(configuration: alertPool, backgroundLogger: logger)
    services.append(alertClient)
    let httpClient = HTTPClient(eventLoopGroup: eventLoopGroup)
    services.append(HTTPClientService(client: httpClient))
    let alertStore = AlertStore(client: alertClient, logger: logger)
    let outbox = OutboxWorker(
        store: alertStore, sender: HookSender(httpClient: httpClient, logger: logger), settings: configuration.alerting, logger: logger)
    services.append(outbox)
    let alerts = AlertEngine(store: alertStore, settings: configuration.alerting, outbox: outbox, logger: logger)
    services.append(alerts)

    let live = LiveHub()
    var feeds = [NoitFeed]()
    for noit in configuration.noits {
        var settings = NoitFeedSettings(address: noit.address, port: noit.port, serverName: noit.serverName, tls: tls)
        settings.statisticsInterval = .seconds(configuration.feedStatisticsSeconds)
        let archive = ArchiveConnection(configuration: postgres, migrator: migrator, eventLoop: eventLoopGroup.next(), logger: logger)
        let feed = try NoitFeed(settings: settings, archive: archive, eventLoopGroup: eventLoopGroup, live: live, alerts: alerts, backlog: backlog, logger: logger)
        feeds.append(feed)
        services.append(feed)
    }
    return StratconStorage(
        services: services, feeds: feeds, live: live, alerts: alerts, databaseDescription: description, clientConfiguration: client)
}
