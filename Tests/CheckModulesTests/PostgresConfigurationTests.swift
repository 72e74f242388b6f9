import Foundation
import Logging
import NIOPosix
import NoitCore
import NoitTestSupport
import Testing

@testable import CheckModules

@Suite("postgres configuration")
struct PostgresConfigurationTests {
    @Test("postgres declares its parameters so bad configs are refused")
    func descriptorValidation() {
        let descriptor = PostgresModule.descriptor
        #expect(descriptor.name == "postgres")
        #expect(descriptor.problems(in: ["user": "noit", "sql": "SELECT 1"]).isEmpty)
        #expect(descriptor.problems(in: [:]) == [.missingRequired("user"), .missingRequired("sql")])
        #expect(descriptor.problems(in: ["user": "u", "sql": "s", "port": "70000"]).count == 1)
        #expect(descriptor.problems(in: ["user": "u", "sql": "s", "sslmode": "prefer"]).count == 1)
        #expect(descriptor.problems(in: ["user": "u", "sql": "s", "bogus": "1"]).count == 1)
        let defaults = descriptor.applyingDefaults(to: ["user": "u", "sql": "s"])
        #expect(defaults["port"] == "5432")
        #expect(defaults["sslmode"] == "disable")
        #expect(defaults["dbname"] == nil)
    }

    func definition(_ config: [String: String], target: String = "db.example") -> CheckDefinition {
        CheckDefinition(
            uuid: UUID(), module: "postgres", target: target, periodMilliseconds: 60_000, timeoutMilliseconds: 5_000,
            config: PostgresModule.descriptor.applyingDefaults(to: config))
    }

    @Test("settings default the database to the user and print without the password")
    func settings() throws {
        let settings = try PostgresCheckSettings(definition(["user": "monitor", "password": "s3cret!", "sql": "SELECT 1"]))
        #expect(settings.port == 5432)
        #expect(settings.database == "monitor")
        #expect(!settings.requireTLS)
        #expect(settings.description == "postgres://monitor@db.example:5432/monitor")
        #expect(!"\(settings)".contains("s3cret!"))
        let configuration = settings.connectionConfiguration(tlsContext: nil)
        #expect(configuration.password == "s3cret!")
        #expect(configuration.options.additionalStartupParameters.contains { $0 == ("statement_timeout", "5000") })
    }

    @Test("configs a run cannot use fail the run with a clear status")
    func invalidSettings() async {
        let module = PostgresModule(
            environment: ModuleEnvironment(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: Logger(label: "test")))
        let blank = await module.run(definition(["user": "u", "sql": "  \n"]))
        #expect(blank.status == "no sql")
        let noTarget = await module.run(definition(["user": "u", "sql": "SELECT 1"], target: ""))
        #expect(noTarget.status == "no target host")
        #expect(noTarget.availability == .unavailable)
    }

    @Test("NOIT_TEST_POSTGRES is read as a postgres:// URL")
    func testServerURL() throws {
        let parsed = try TestPostgres.parse("postgres://noit@127.0.0.1:54329/noit_test")
        #expect(parsed.host == "127.0.0.1" && parsed.port == 54_329 && parsed.user == "noit" && parsed.database == "noit_test")
        let defaults = try TestPostgres.parse("postgresql://alice@[::1]")
        #expect(defaults.host == "::1" && defaults.port == 5432 && defaults.database == "alice")
        #expect(throws: TestPostgres.ConfigurationError.self) { try TestPostgres.parse("mysql://x@h/db") }
        #expect(throws: TestPostgres.ConfigurationError.self) { try TestPostgres.parse("postgres://127.0.0.1/db") }
    }
}
