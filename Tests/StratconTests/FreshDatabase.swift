import Foundation
import Logging
import NIOPosix
import NoitTestSupport
import PostgresNIO
import Stratcon

/// A database of its own for one test, on the test suite's private PostgreSQL server,
/// dropped afterwards; tests run in parallel and each migrates its own schema.
enum FreshDatabase {
    static let logger = Logger(label: "stratcon-test")

    static func configuration(database: String) throws -> PostgresConnection.Configuration {
        let server = try TestPostgres.configuration()
        return PostgresConnection.Configuration(
            host: server.host, port: server.port, username: server.user, password: nil, database: database, tls: .disable)
    }

    static func with<Value: Sendable>(_ body: (PostgresConnection.Configuration, ArchiveStore) async throws -> Value) async throws -> Value {
        let server = try TestPostgres.configuration()
        let name = "stratcon_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        let admin = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration(database: server.database), id: 0, logger: logger)
        // A database name cannot be a bind parameter; this one is generated here, never from data.
        _ = try await admin.simpleQuery("CREATE DATABASE \(name)").get()
        let configuration = try configuration(database: String(name))
        do {
            let store = try await ArchiveStore.connect(
                configuration: configuration, migrator: try SchemaMigrator(directory: SchemaMigrator.defaultDirectory()),
                eventLoop: MultiThreadedEventLoopGroup.singleton.next(), id: 1, logger: logger)
            let value: Value
            do {
                value = try await body(configuration, store)
            } catch {
                await store.close()
                throw error
            }
            await store.close()
            _ = try? await admin.simpleQuery("DROP DATABASE \(name) WITH (FORCE)").get()
            try? await admin.close()
            return value
        } catch {
            _ = try? await admin.simpleQuery("DROP DATABASE \(name) WITH (FORCE)").get()
            try? await admin.close()
            throw error
        }
    }
}

extension PostgresConnection {
    /// The rows of a constant query, each decoded as one value of `T`.
    func values<T: PostgresDecodable>(_ query: PostgresQuery, as type: T.Type = T.self) async throws -> [T] {
        var result = [T]()
        for try await value in try await self.query(query, logger: FreshDatabase.logger).decode(T.self) { result.append(value) }
        return result
    }
}
