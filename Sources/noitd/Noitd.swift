import ArgumentParser
import ConsoleServer
import Foundation
import Logging
import NIOPosix
import NoitConfig
import NoitServer
import ServiceLifecycle

@main
struct Noitd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "noitd",
        abstract: "The check node: runs checks on schedule and journals every result.")

    @Option(name: [.short, .long], help: "Path of the XML configuration file.")
    var config: String?

    @Flag(help: "Read a console password from standard input, print its salted hash for <listener password=...>, and exit.")
    var hashPassword = false

    @Option(help: ArgumentHelp(
        "Make a new REST API token named NAME, print the token on the first line and its <api_token> element (for <access> in the config) on the second, and exit.",
        valueName: "NAME"))
    var makeToken: String?

    @Flag(help: "Stay attached to the terminal instead of detaching into the background.")
    var foreground = false

    @Option(help: "Least severe log level printed: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    @Option(help: "Where a detached node writes its log (ignored with --foreground).")
    var logFile: String = "noitd.log"

    @Option(help: "Write the process id here once running.")
    var pidFile: String?

    func validate() throws {
        if !hashPassword && makeToken == nil && config == nil { throw ValidationError("Missing expected argument '--config <config>'") }
        if let makeToken, makeToken.isEmpty || makeToken.contains(where: { "\"<>&'".contains($0) || $0.isNewline }) {
            throw ValidationError("--make-token takes a plain name (no quotes, <, >, & or line breaks), not '\(makeToken)'")
        }
    }

    func run() async throws {
        if hashPassword {
            guard let password = readLine(strippingNewline: true), !password.isEmpty else {
                throw ValidationError("no password on standard input")
            }
            print(ConsolePassword.hash(password))
            return
        }
        if let makeToken {
            let token = APIToken.make()
            print(token)
            print("<api_token name=\"\(makeToken)\" hash=\"\(APIToken.hashText(of: token))\"/>")
            return
        }
        let config = self.config!
        if !foreground {
            try Daemon.detach(validating: config, logFile: logFile)
            return
        }
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "noitd")
        if let pidFile {
            try "\(getpid())\n".write(toFile: pidFile, atomically: true, encoding: .utf8)
        }
        let services: [ServiceGroupConfiguration.ServiceConfiguration]
        do {
            (_, services) = try await buildNoitServices(
                configPath: config, eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: logger,
                onReady: { node, addresses in
                    logger.notice(
                        "noitd ready",
                        metadata: [
                            "checks": "\(node.checks.count)",
                            "http": "\(addresses.filter { $0.hasPrefix("http") }.joined(separator: ","))",
                            "console": "\(addresses.filter { $0.hasPrefix("telnet") }.joined(separator: ","))",
                            "feed": "\(addresses.filter { $0.hasPrefix("feed") }.joined(separator: ","))",
                            "journal": "\(node.journal.configuration.directory)",
                        ])
                })
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data("noitd: configuration refused:\n\(error)\n".utf8))
            throw ExitCode(78)  // EX_CONFIG
        }
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        logger.notice("noitd stopped")
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
