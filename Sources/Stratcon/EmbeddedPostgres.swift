import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import ServiceLifecycle

/// stratcond's own PostgreSQL cluster, used when stratcon.conf names no database: created
/// on first start under the data directory (initdb), started with pg_ctl, reused on the
/// next start, stopped on shutdown.
///
/// PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` OS
/// user and every command runs through `runuser`. stratcond reaches it on a Unix socket
/// inside the cluster directory (mode 0700, so only its owner and root can); TCP on
/// 127.0.0.1 is open too, for operators' tools, but only for roles with a password.
public final class EmbeddedPostgres: Service {
    public static let superuser = "stratcon"
    public static let database = "stratcon"

    public let clusterDirectory: String
    public let port: Int
    private let logger: Logger

    public init(dataDirectory: String, port: Int, logger: Logger) {
        self.clusterDirectory = (dataDirectory as NSString).appendingPathComponent("postgres")
        self.port = port
        self.logger = logger
    }

    /// The Unix socket in the cluster directory.
    public var socketPath: String { "\(clusterDirectory)/.s.PGSQL.\(port)" }

    /// How stratcond connects: the Unix socket in the cluster directory.
    public var connectionConfiguration: PostgresConnection.Configuration {
        PostgresConnection.Configuration(
            unixSocketPath: socketPath, username: Self.superuser, password: nil, database: Self.database)
    }

    /// Creates the cluster if needed, starts it unless it already runs, and makes sure the
    /// database exists. Safe to call on every start.
    public func start() async throws {
        let binaries = try Self.binaryDirectory()
        let asRoot = getuid() == 0
        try prepareDirectory(asRoot: asRoot)
        if !FileManager.default.fileExists(atPath: clusterDirectory + "/PG_VERSION") {
            logger.notice("creating the embedded PostgreSQL cluster", metadata: ["directory": "\(clusterDirectory)"])
            try await runChecked([binaries + "/initdb", "-D", clusterDirectory, "-U", Self.superuser, "-A", "trust", "-E", "UTF8"], asRoot: asRoot)
            try writeAsOwner(clusterDirectory + "/pg_hba.conf", """
                # Written by stratcond: its own Unix socket (a 0700 directory) needs no password;
                # TCP on loopback only for roles that have one.
                local   all   all                  trust
                host    all   all   127.0.0.1/32   scram-sha-256
                """, asRoot: asRoot)
            let settings = try String(contentsOfFile: clusterDirectory + "/postgresql.conf", encoding: .utf8) + """

                # Written by stratcond.
                listen_addresses = '127.0.0.1'
                port = \(port)
                unix_socket_directories = '\(clusterDirectory)'
                unix_socket_permissions = 0700
                timezone = 'UTC'
                """
            try writeAsOwner(clusterDirectory + "/postgresql.conf", settings, asRoot: asRoot)
        }
        let status = try await run([binaries + "/pg_ctl", "-D", clusterDirectory, "status"], asRoot: asRoot)
        if status.status == 0 {
            logger.notice("embedded PostgreSQL already running; reusing it", metadata: ["directory": "\(clusterDirectory)"])
        } else {
            try await runChecked([binaries + "/pg_ctl", "-D", clusterDirectory, "-l", clusterDirectory + "/server.log", "-w", "-t", "60", "start"], asRoot: asRoot)
            logger.notice("embedded PostgreSQL started", metadata: ["directory": "\(clusterDirectory)", "port": "\(port)"])
        }
        try await createDatabase()
    }

    /// Stops the cluster (fast shutdown: open transactions roll back, committed data is safe).
    public func stop() async {
        guard let binaries = try? Self.binaryDirectory() else { return }
        _ = try? await run([binaries + "/pg_ctl", "-D", clusterDirectory, "-m", "fast", "-w", "-t", "60", "stop"], asRoot: getuid() == 0)
        logger.notice("embedded PostgreSQL stopped")
    }

    /// Waits for the node to stop, then stops the cluster: listed before the feeds in the
    /// service group, it is stopped after them.
    public func run() async throws {
        try? await gracefulShutdown()
        await stop()
    }

    private func createDatabase() async throws {
        var configuration = connectionConfiguration
        configuration.database = "postgres"
        let connection = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: 0, logger: logger)
        defer { Task { try? await connection.close() } }
        let exists = try await connection.query("SELECT count(*) FROM pg_database WHERE datname = \(Self.database)", logger: logger)
            .collect().first?.decode(Int.self) ?? 0
        if exists == 0 {
            // A constant name: CREATE DATABASE takes no bind parameters.
            _ = try await connection.simpleQuery("CREATE DATABASE stratcon").get()
        }
    }

    private func prepareDirectory(asRoot: Bool) throws {
        try FileManager.default.createDirectory(atPath: clusterDirectory, withIntermediateDirectories: true)
        if asRoot {
            guard let owner = getpwnam("postgres") else {
                throw EmbeddedPostgresError("there is no 'postgres' OS user to own the cluster: install PostgreSQL (scripts/setup.sh does)")
            }
            guard chown(clusterDirectory, owner.pointee.pw_uid, owner.pointee.pw_gid) == 0 else {
                throw EmbeddedPostgresError("cannot give \(clusterDirectory) to the postgres user: \(String(cString: strerror(errno)))")
            }
        }
        chmod(clusterDirectory, 0o700)
    }

    private func writeAsOwner(_ path: String, _ text: String, asRoot: Bool) throws {
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        if asRoot, let owner = getpwnam("postgres") {
            chown(path, owner.pointee.pw_uid, owner.pointee.pw_gid)
        }
    }

    private func runChecked(_ arguments: [String], asRoot: Bool) async throws {
        let result = try await run(arguments, asRoot: asRoot)
        guard result.status == 0 else {
            throw EmbeddedPostgresError("\((arguments[0] as NSString).lastPathComponent) failed (exit \(result.status)): \(result.output.suffix(2000))")
        }
    }

    /// Runs a PostgreSQL tool (as the postgres user when root) on NIO's blocking pool.
    private func run(_ arguments: [String], asRoot: Bool) async throws -> (status: Int32, output: String) {
        let command = asRoot ? ["/usr/sbin/runuser", "-u", "postgres", "--"] + arguments : arguments
        return try await NIOThreadPool.singleton.runIfActive { try Self.spawnAndWait(command) }
    }

    /// posix_spawn and a blocking waitpid, on a pool thread. Foundation's Process is not used:
    /// `pg_ctl start` leaves a daemon behind, and Process then sometimes never notices its
    /// child exit. Output goes to a file, not a pipe, for the same daemon's sake: it would
    /// hold a pipe open forever.
    private static func spawnAndWait(_ command: [String]) throws -> (status: Int32, output: String) {
        let capture = FileManager.default.temporaryDirectory.appendingPathComponent("stratcond-pg-\(UUID().uuidString)").path
        defer { unlink(capture) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, capture, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var pid = pid_t()
        let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let spawned = posix_spawn(&pid, command[0], &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw EmbeddedPostgresError("cannot run \(command[0]): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw EmbeddedPostgresError("waitpid failed: \(String(cString: strerror(errno)))") }
        }
        let output = (try? String(contentsOfFile: capture, encoding: .utf8)) ?? ""
        // Exited normally: the exit code; killed: 128 + the signal, as a shell reports it.
        let code: Int32 = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return (code, output)
    }

    /// The newest server's tools: Debian keeps one directory per major version.
    static func binaryDirectory() throws -> String {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        let usable = versions.compactMap { Int($0) }.sorted().reversed().map { "\(root)/\($0)/bin" }
            .filter { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") }
        guard let newest = usable.first else {
            throw EmbeddedPostgresError("no PostgreSQL server under \(root): install it with scripts/setup.sh (apt-get install postgresql)")
        }
        return newest
    }
}

public struct EmbeddedPostgresError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}
