import ArgumentParser

@main
struct Eventloom: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eventloom",
        abstract: "The event-sourced system of record: an append-only PostgreSQL event log, broadcast over NATS JetStream.",
        discussion: """
            Every setting has a flag and an environment variable:
              --database-url   EVENTLOOM_DATABASE_URL  (default \(GlobalOptions.defaultDatabaseURL))
              --nats-url       EVENTLOOM_NATS_URL      (default \(NATSOptions.defaultURL))
              --log-level      EVENTLOOM_LOG_LEVEL     (default info)
            """,
        subcommands: [Migrate.self, Verify.self, Events.self, RelayCommand.self, Project.self, Replay.self, Serve.self, Dev.self, Bench.self, Keys.self]
    )
}
