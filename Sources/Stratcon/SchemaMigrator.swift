import Foundation
import Logging
import PostgresNIO

/// Applies the numbered SQL files of `schema/` that the database has not seen, in order,
/// each in its own transaction with its row in `schema_version`, so a failed migration
/// leaves the database exactly as it was before that file.
public struct SchemaMigrator: Sendable {
    public struct Migration: Sendable, Equatable {
        public var version: Int
        public var name: String
        public var sql: String
    }

    public let migrations: [Migration]

    /// Reads `NNN_description.sql` files from `directory`.
    /// - Throws: when the directory cannot be read, or two files share a number.
    public init(directory: String) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".sql") }.sorted()
        var migrations = [Migration]()
        for name in names {
            guard let version = Int(name.prefix { $0.isNumber }), version > 0 else { continue }
            if migrations.contains(where: { $0.version == version }) {
                throw MigrationError("two migrations numbered \(version) in \(directory)")
            }
            let sql = try String(contentsOfFile: (directory as NSString).appendingPathComponent(name), encoding: .utf8)
            migrations.append(Migration(version: version, name: name, sql: sql))
        }
        self.migrations = migrations
    }

    /// The project's `schema/` directory: beside the executable's package when run from a
    /// checkout, or as given by `STRATCON_SCHEMA`.
    public static func defaultDirectory() -> String {
        if let configured = ProcessInfo.processInfo.environment["STRATCON_SCHEMA"] { return configured }
        var directory = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { directory.deleteLastPathComponent() }
        return directory.appendingPathComponent("schema").path
    }

    /// Brings the database up to date; returns the versions applied now.
    @discardableResult
    public func migrate(_ connection: PostgresConnection, logger: Logger) async throws -> [Int] {
        _ = try await connection.simpleQuery("""
            CREATE TABLE IF NOT EXISTS schema_version (
                version integer PRIMARY KEY,
                name text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """).get()
        var applied = Set<Int>()
        for try await version in try await connection.query("SELECT version FROM schema_version", logger: logger).decode(Int.self) {
            applied.insert(version)
        }
        var done = [Int]()
        for migration in migrations where !applied.contains(migration.version) {
            _ = try await connection.simpleQuery("BEGIN").get()
            do {
                // Serialises two stratconds migrating one database at the same moment.
                _ = try await connection.simpleQuery("LOCK TABLE schema_version IN EXCLUSIVE MODE").get()
                let already = try await connection.query(
                    "SELECT count(*) FROM schema_version WHERE version = \(migration.version)", logger: logger
                ).collect().first?.decode(Int.self) ?? 0
                if already == 0 {
                    for statement in SQLScript.statements(migration.sql) {
                        // The file is the project's own schema, never data.
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await connection.query(
                        "INSERT INTO schema_version (version, name) VALUES (\(migration.version), \(migration.name))", logger: logger)
                    done.append(migration.version)
                }
                _ = try await connection.simpleQuery("COMMIT").get()
            } catch {
                _ = try? await connection.simpleQuery("ROLLBACK").get()
                throw MigrationError("migration \(migration.name) failed: \(String(reflecting: error))")
            }
            logger.notice("schema migration applied", metadata: ["migration": "\(migration.name)"])
        }
        return done
    }
}

public struct MigrationError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}
