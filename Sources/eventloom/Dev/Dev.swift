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
            (127.0.0.1:\(Dev.postgresPort), --postgres-port) and nats-server (127.0.0.1:\(Dev.natsPort), \
            --nats-port) under ./.eventloom, reusing them on later runs. Migrates, then runs the API, \
            the relay and the projections in this process, and prints the URL and the admin key. \
            While it runs, other eventloom commands started from the same folder use its database \
            and NATS unless told otherwise. Ctrl-C stops everything it started.
            """)

    static let postgresPort = 56_432
    static let natsPort = 56_222

    @OptionGroup var options: GlobalOptions
    @OptionGroup var nats: NATSOptions
    @OptionGroup var http: HTTPOptions
    @OptionGroup var seals: SealOptions

    @Option(help: "Where the private PostgreSQL and NATS keep their data. Env: EVENTLOOM_DEV_DIR (default ./.eventloom).")
    var dataDir: String?

    @Option(help: "Port of the private PostgreSQL, 1024-65535. Env: EVENTLOOM_DEV_POSTGRES_PORT (default \(Dev.postgresPort)).")
    var postgresPort: Int?

    @Option(help: "Port of the private nats-server, 1024-65535. Env: EVENTLOOM_DEV_NATS_PORT (default \(Dev.natsPort)).")
    var natsPort: Int?

    /// A port from its flag, else its environment variable, else `fallback`.
    private static func port(_ flag: Int?, _ variable: String, _ fallback: Int) throws -> Int {
        let value = flag ?? ProcessInfo.processInfo.environment[variable].map { Int($0) ?? -1 } ?? fallback
        guard (1024...65_535).contains(value) else { throw ValidationError("\(variable) must be a port, 1024-65535") }
        return value
    }

    func run() async throws {
        let logger = try options.logger("eventloom.dev")
        TasksOnEventLoops.install(logger: logger)
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
            var local = LocalPostgres(folder: folder.sub("pg"),
                                      port: try Self.port(postgresPort, "EVENTLOOM_DEV_POSTGRES_PORT", Self.postgresPort))
            try local.start()
            postgres = local
            options.databaseURL = local.url
        }
        var nats = nats
        if nats.natsURL == nil && environment["EVENTLOOM_NATS_URL"] == nil {
            let local = LocalNATS(folder: folder.sub("nats"), port: try Self.port(natsPort, "EVENTLOOM_DEV_NATS_PORT", Self.natsPort))
            try local.start()
            localNATS = local
            nats.natsURL = local.url
        }
        var configuration = try http.apiConfiguration()
        configuration.adminKey = try configuration.adminKey ?? DevAdminKey.loadOrCreate(in: folder)
        if configuration.searchDirectory == nil { configuration.searchDirectory = URL(fileURLWithPath: folder.sub("search")) }
        if options.masterKeyFile == nil && (environment["EVENTLOOM_MASTER_KEY"] ?? "").isEmpty {
            options.masterKeyFile = try DevMasterKey.file(in: folder)
        }
        var seals = seals
        if seals.sealKeyFile == nil && (environment["EVENTLOOM_SEAL_KEY"] ?? "").isEmpty {
            seals.sealKeyFile = try DevSealKey.file(in: folder)
        }
        try await migrate(options, logger: logger)
        try await checkMasterKeys(options, logger: logger)
        // Only what dev started itself is announced: URLs it was given stay where they came from.
        if let postgres, let localNATS {
            do {
                try DevEndpoints(databaseURL: postgres.url, natsURL: localNATS.url, pid: getpid()).write(in: folder)
            } catch {
                logger.warning("other commands will not find this dev's database and NATS by themselves",
                               metadata: ["file": "\(DevEndpoints.file(in: folder))", "error": "\(error)"])
            }
        }
        defer { DevEndpoints.remove(in: folder) }
        try await runEverything(options, nats: nats, seals: seals, configuration: configuration, folder: folder, logger: logger)
    }

    private func migrate(_ options: GlobalOptions, logger: Logger) async throws {
        try await withEventStore(options, logger: logger) { store in
            try await Migrator(client: store.client, migrations: try Migration.bundled(), logger: logger).migrate()
        }
    }

    private func runEverything(_ options: GlobalOptions, nats: NATSOptions, seals: SealOptions, configuration: APIConfiguration,
                               folder: DevFolder, logger: Logger) async throws
    {
        let lockConnection = try options.connectionConfiguration()
        let relay = RelayConfiguration(nats: nats.connectionOptions(name: "eventloom-dev"))
        let banner = DevBanner(configuration: configuration, databaseURL: options.resolvedDatabaseURL,
                               natsURL: nats.resolvedURL, folder: folder, sealPublicKey: try seals.signingKey()?.verifyingKey.hex)
        try await runServices(options, logger: logger, keyring: try options.requiredKeyring()) { store in
            let runners: [any Service] = ProjectionRegistry.all.map {
                ProjectionRunner(projection: $0, store: store, lockConnection: lockConnection, logger: logger)
            }
            let ledger = QuotaLedger(store: store, logger: logger)
            let app = buildApplication(store: store, configuration: configuration, logger: logger, ledger: ledger,
                                       onServerRunning: { _ in banner.print() })
            let expiry = ExpiryReactor(store: store, ledger: ledger, logger: logger)
            let sealer = try seals.sealer(store: store, lockConnection: lockConnection, logger: logger)
            return [Relay(store: store, configuration: relay, lockConnection: lockConnection, logger: logger)]
                + runners + [expiry, app] + (sealer.map { [$0] } ?? [])
        }
    }
}
