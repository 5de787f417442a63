import API
import ArgumentParser
import EventStore
import Foundation
import Logging
import Projections
import Quotas
import ServiceLifecycle

struct Dev: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "Run all of Eventloom locally: PostgreSQL, NATS, the API, the relay and every projection.",
        discussion: """
            With no database or NATS URL configured, starts a private PostgreSQL cluster \
            (127.0.0.1:\(Dev.postgresPort)) and nats-server (127.0.0.1:\(Dev.natsPort)) under \
            ./.eventloom, reusing them on later runs. Migrates, then runs the API, the relay and \
            the projections in this process, and prints the URL and the admin key. Ctrl-C stops \
            everything it started.
            """)

    static let postgresPort = 56_432
    static let natsPort = 56_222

    @OptionGroup var options: GlobalOptions
    @OptionGroup var nats: NATSOptions
    @OptionGroup var http: HTTPOptions

    @Option(help: "Where the private PostgreSQL and NATS keep their data (default ./.eventloom).")
    var dataDir: String?

    func run() async throws {
        let logger = try options.logger("eventloom.dev")
        let environment = ProcessInfo.processInfo.environment
        let folder = DevFolder.resolve(dataDir)
        var postgres: LocalPostgres?
        var localNATS: LocalNATS?
        defer {
            localNATS?.stop()
            postgres?.stop()
        }
        var options = options
        if options.databaseURL == nil && environment["EVENTLOOM_DATABASE_URL"] == nil {
            var local = LocalPostgres(folder: folder.sub("pg"), port: Self.postgresPort)
            try local.start()
            postgres = local
            options.databaseURL = local.url
        }
        var nats = nats
        if nats.natsURL == nil && environment["EVENTLOOM_NATS_URL"] == nil {
            let local = LocalNATS(folder: folder.sub("nats"), port: Self.natsPort)
            try local.start()
            localNATS = local
            nats.natsURL = local.url
        }
        var configuration = try http.apiConfiguration()
        configuration.adminKey = try configuration.adminKey ?? DevAdminKey.loadOrCreate(in: folder)
        try await migrate(options, logger: logger)
        try await runEverything(options, nats: nats, configuration: configuration, folder: folder, logger: logger)
    }

    private func migrate(_ options: GlobalOptions, logger: Logger) async throws {
        try await withEventStore(options, logger: logger) { store in
            try await Migrator(client: store.client, migrations: try Migration.bundled(), logger: logger).migrate()
        }
    }

    private func runEverything(_ options: GlobalOptions, nats: NATSOptions, configuration: APIConfiguration,
                               folder: DevFolder, logger: Logger) async throws
    {
        let lockConnection = try options.connectionConfiguration()
        let relay = RelayConfiguration(nats: nats.connectionOptions(name: "eventloom-dev"))
        let banner = DevBanner(configuration: configuration, databaseURL: options.resolvedDatabaseURL,
                               natsURL: nats.resolvedURL, folder: folder)
        try await runServices(options, logger: logger) { store in
            let runners: [any Service] = ProjectionRegistry.all.map {
                ProjectionRunner(projection: $0, store: store, lockConnection: lockConnection, logger: logger)
            }
            let ledger = QuotaLedger(store: store, logger: logger)
            let app = buildApplication(store: store, configuration: configuration, logger: logger, ledger: ledger,
                                       onServerRunning: { _ in banner.print() })
            let expiry = ExpiryReactor(store: store, ledger: ledger, logger: logger)
            return [Relay(store: store, configuration: relay, lockConnection: lockConnection, logger: logger)]
                + runners + [expiry, app]
        }
    }
}
