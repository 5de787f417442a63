@testable import EventStore
import EventStoreTesting
import Logging
import PostgresNIO
import Testing

@Suite struct MigrationTests {
    @Test func migrate_again_appliesNothing() async throws {
        try await TestDatabase.withStore { store in
            let migrator = Migrator(client: store.client, migrations: try Migration.bundled(), logger: Logger(label: "t"))
            #expect(try await migrator.migrate().isEmpty)
            #expect(try await migrator.pending().isEmpty)
        }
    }

    @Test func migrate_withAChangedAppliedFile_refusesToRun() async throws {
        try await TestDatabase.withStore { store in
            let bundled = try Migration.bundled()
            let edited = try Migration(fileName: bundled[0].name, sql: bundled[0].sql + "\n-- edited")
            let migrator = Migrator(client: store.client, migrations: [edited] + bundled.dropFirst(), logger: Logger(label: "t"))
            let error = try await #require(throws: EventStoreError.self) { try await migrator.migrate() }
            #expect(error.code == .migrationMismatch)
            #expect(error.message.contains(bundled[0].name))
        }
    }

    @Test func migrate_withAnUnknownAppliedMigration_refusesToRun() async throws {
        try await TestDatabase.withStore { store in
            let migrator = Migrator(client: store.client, migrations: [], logger: Logger(label: "t"))
            let error = try await #require(throws: EventStoreError.self) { try await migrator.migrate() }
            #expect(error.code == .migrationMismatch)
        }
    }

    @Test func migrate_failingMigration_rollsBackAndRecordsNothing() async throws {
        try await TestDatabase.withStore { store in
            let broken = try Migration(fileName: "9999_broken.sql", sql: "CREATE TABLE half_done (id int);\nSELECT no_such_function();")
            let migrator = Migrator(client: store.client, migrations: try Migration.bundled() + [broken], logger: Logger(label: "t"))
            let error = try await #require(throws: EventStoreError.self) { try await migrator.migrate() }
            #expect(error.message.contains("9999_broken.sql"))
            let rows = try await store.client.query("SELECT to_regclass('half_done') IS NULL")
            for try await gone in rows.decode(Bool.self) { #expect(gone) }
            #expect(try await migrator.pending().map(\.name) == ["9999_broken.sql"])
        }
    }

    @Test(arguments: ["0001_x.txt", "1_x.sql", "abcd_x.sql", "0001.sql"])
    func migrationFileName_notNNNN_name_sql_isRejected(name: String) {
        #expect(throws: EventStoreError.self) { try Migration(fileName: name, sql: "") }
    }
}

@Suite struct SQLScriptTests {
    @Test func statements_splitAtTopLevelSemicolons() {
        let script = """
            -- a comment; with a semicolon
            CREATE TABLE t (a text DEFAULT ';');
            /* block; comment */ CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$
            BEGIN RETURN 1; END $body$;
            SELECT $$a;b$$, "we;ird", $1;
            """
        let statements = SQLScript.statements(in: script)
        #expect(statements.count == 3)
        #expect(statements[0].hasSuffix("DEFAULT ';')"))
        #expect(statements[1].contains("RETURN 1; END $body$"))
        #expect(statements[2] == "SELECT $$a;b$$, \"we;ird\", $1")
    }

    @Test func statements_ignoreTrailingComments() {
        #expect(SQLScript.statements(in: "SELECT 1;\n-- done\n") == ["SELECT 1"])
    }

    @Test func statements_ofTheEventLogMigration_areTheExpectedCount() throws {
        let migration = try #require(try Migration.bundled().first)
        // DO, 3 tables, 1 index, the trigger function and its trigger, the hash function
        #expect(SQLScript.statements(in: migration.sql).count == 8)
    }
}
