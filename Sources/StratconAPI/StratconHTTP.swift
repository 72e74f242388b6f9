import Alerting
import Hummingbird
import Logging
import PostgresNIO
import ServiceLifecycle
import Stratcon

/// The HTTP service of stratcond and the connection pool behind it, in start order.
public func buildStratconHTTP(
    configuration: StratconConfiguration, database: PostgresClient.Configuration, feeds: [NoitFeed], live: LiveHub,
    alerts: AlertEngine? = nil, web: WebFiles = .standard(), logger: Logger, onListening: @escaping @Sendable (Int) -> Void = { _ in }
) -> [any Service] {
    var pool = database
    pool.options.maximumConnections = 8
    let client = PostgresClient(configuration: pool, backgroundLogger: logger)
    let api = GraphAPI(store: GraphStore(client: client, logger: logger), feeds: feeds, live: live)
    let application = Application(
        router: buildStratconRouter(
            api: api, alerts: AlertAPI(store: AlertStore(client: client, logger: logger), engine: alerts), web: web, logger: logger),
        configuration: .init(address: .hostname(configuration.httpAddress, port: configuration.httpPort), serverName: "stratcond"),
        onServerRunning: { channel in onListening(channel.localAddress?.port ?? configuration.httpPort) },
        logger: logger)
    // The group stops services in reverse: the live streams end first, so the HTTP server
    // can finish its open responses, then the pool closes.
    return [client, application, live]
}
