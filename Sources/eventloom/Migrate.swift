import ArgumentParser
import EventStore

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply the pending database migrations (safe to run again).",
        discussion: "Each migration runs in its own transaction and is recorded in eventloom_migrations. "
            + "Refuses to run if an applied migration file has changed.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let logger = try options.logger("eventloom.migrate")
        let migrations = try Migration.bundled()
        let applied = try await withEventStore(options, logger: logger) { store in
            try await Migrator(client: store.client, migrations: migrations, logger: logger).migrate()
        }
        if applied.isEmpty {
            print("database is up to date (\(migrations.count) migrations)")
        } else {
            print("applied: \(applied.map(\.name).joined(separator: ", "))")
        }
    }
}
