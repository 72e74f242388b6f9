import ConsoleServer
import Logging
import NIOCore
import NIOPosix
import NoitCore
import NoitTestSupport
import ServiceLifecycle

/// A `ConsoleServer` on 127.0.0.1:0 with `DemoCommands`, run for the length of `body`.
struct ConsoleTestServer {
    let server: ConsoleServer
    let port: Int
    let logs: LogRecorder

    /// Runs `body` against a running server inside a `ServiceGroup`; shuts it down gracefully
    /// afterwards (or lets `body` do it with `shutDown`).
    /// The consoles' own loop, as in noitd: the abuse these tests send (megabyte lines, IAC
    /// floods, hundreds of sessions) must not delay the other suites' checks on the shared
    /// singleton loops while the whole test process runs in parallel.
    static let loops = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    static func with<T: Sendable>(
        clock: any MonotonicClock = ContinuousClock(),
        _ configure: (inout ConsoleListenerConfiguration) -> Void = { _ in },
        _ body: @Sendable (ConsoleTestServer, ServiceGroup) async throws -> T
    ) async throws -> T {
        var configuration = ConsoleListenerConfiguration(port: 0, banner: "noitd test console")
        configure(&configuration)
        let logs = LogRecorder(label: "console")
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let server = ConsoleServer(
            configuration: configuration, commands: DemoCommands(),
            eventLoopGroup: ConsoleTestServer.loops, logger: logs.logger, clock: clock,
            onListening: { address in
                continuation.yield(address.port ?? 0)
                continuation.finish()
            })
        let group = ServiceGroup(services: [server], gracefulShutdownSignals: [], logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            do {
                let result = try await body(ConsoleTestServer(server: server, port: port, logs: logs), group)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                tasks.cancelAll()
                throw error
            }
        }
    }

    func telnet(columns: UInt16 = 120, rows: UInt16 = 40) throws -> TelnetTerminal {
        try TelnetTerminal(host: "127.0.0.1", port: port, columns: columns, rows: rows)
    }

    func lineClient(reading: Bool = true) async throws -> LineClient {
        try await LineClient.connect(port: port, reading: reading)
    }
}
