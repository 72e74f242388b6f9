import ArgumentParser
import Foundation
import Logging
import NIOPosix
import NoitConfig
import ServiceLifecycle
import Stratcon
import StratconAPI

@main
struct Stratcond: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stratcond",
        abstract: "The aggregator: pulls noitds' journals over TLS into PostgreSQL.")

    @Option(name: [.short, .long], help: "Path of stratcon.conf.")
    var config: String

    @Option(help: "Least severe log level printed: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    @Option(help: "Write the process id here once running.")
    var pidFile: String?

    func run() async throws {
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "stratcond")
        let configuration: StratconConfiguration
        do {
            configuration = try StratconConfigLoader.load(path: config)
        } catch {
            FileHandle.standardError.write(Data("stratcond: configuration refused:\n\(error)\n".utf8))
            throw ExitCode(78)  // EX_CONFIG
        }
        if let pidFile {
            try "\(getpid())\n".write(toFile: pidFile, atomically: true, encoding: .utf8)
        }
        let storage = try await buildStratconServices(
            configuration: configuration, eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: logger)
        let http = buildStratconHTTP(
            configuration: configuration, database: storage.clientConfiguration, feeds: storage.feeds, live: storage.live, alerts: storage.alerts,
            logger: logger,
            onListening: { port in
                logger.notice("web UI and API listening", metadata: ["url": "http://\(configuration.httpAddress):\(port)/"])
            })
        let services = storage.services + http
        logger.notice(
            "stratcond ready",
            metadata: [
                "database": "\(storage.databaseDescription)", "data": "\(configuration.dataPath)",
                "noits": "\(configuration.noits.map { "\($0.address):\($0.port)" }.joined(separator: ","))",
            ])
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        logger.notice("stratcond stopped")
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
