import ArgumentParser

@main
struct Eventloom: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eventloom",
        abstract: "The event-sourced system of record: an append-only PostgreSQL event log.",
        discussion: """
            Every setting has a flag and an environment variable:
              --database-url   EVENTLOOM_DATABASE_URL  (default \(GlobalOptions.defaultDatabaseURL))
              --log-level      EVENTLOOM_LOG_LEVEL     (default info)
            """,
        subcommands: [Migrate.self, Verify.self, Events.self, Bench.self]
    )
}
