import Testing

@testable import Stratcon

@Suite("Splitting migration scripts")
struct SQLScriptTests {
    @Test("semicolons in quotes, comments and dollar-quoted bodies do not split")
    func split() {
        let script = """
            -- a comment; with a semicolon
            CREATE TABLE a (b text DEFAULT ';');
            CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;
            CREATE FUNCTION g() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN RETURN 2; END $body$
            """
        #expect(SQLScript.statements(script) == [
            "CREATE TABLE a (b text DEFAULT ';')",
            "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$",
            "CREATE FUNCTION g() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN RETURN 2; END $body$",
        ])
    }

    @Test("the project's migrations split into whole statements")
    func projectSchema() throws {
        let migrator = try SchemaMigrator(directory: SchemaMigrator.defaultDirectory())
        #expect(migrator.migrations.map(\.version) == [1, 2, 3, 4, 5, 6, 7, 8, 9])
        let functions = migrator.migrations.flatMap { SQLScript.statements($0.sql) }.filter { $0.hasPrefix("CREATE FUNCTION") }
        #expect(functions.count == 9)
        #expect(functions.allSatisfy { $0.hasSuffix("$$") })
    }
}
