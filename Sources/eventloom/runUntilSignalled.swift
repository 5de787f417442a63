import EventStore
import Logging
import PostgresNIO
import ServiceLifecycle

/// Runs `body` as a service next to the store's client, notifier and listener until it
/// returns or SIGINT/SIGTERM asks for a graceful shutdown.
func runUntilSignalled(
    _ options: GlobalOptions, logger: Logger, _ body: @Sendable @escaping (EventStore) async throws -> Void
) async throws {
    try await runServices(options, logger: logger, endWhenDone: true) { store in
        [ClosureService(logger: logger) {
            try await cancelWhenGracefulShutdown {
                try await checkReachable(store.client, options)
                try await body(store)
            }
        }]
    }
}

/// Runs the services `make` builds on the store, after its client, notifier and listener,
/// until SIGINT/SIGTERM (or, with `endWhenDone`, until the last one returns).
/// `keyring`: the master key's, for processes that read or write personal data (else the
/// one configured, if any).
func runServices(
    _ options: GlobalOptions, logger: Logger, endWhenDone: Bool = false, keyring: SubjectKeyring? = nil,
    _ make: (EventStore) throws -> [any Service]
) async throws {
    let client = PostgresClient(configuration: try options.clientConfiguration(), backgroundLogger: options.poolLogger(logger))
    let store = EventStore(client: client, logger: logger, keyring: try keyring ?? options.keyring())
    let work = try make(store).map {
        ServiceGroupConfiguration.ServiceConfiguration(
            service: $0, successTerminationBehavior: endWhenDone ? .gracefullyShutdownGroup : .cancelGroup)
    }
    var configuration = ServiceGroupConfiguration(
        services: [.init(service: client), .init(service: store.notifier), .init(service: store.listener)] + work,
        gracefulShutdownSignals: [.sigterm, .sigint],
        logger: logger)
    // A backstop: SIGTERM ends the process within 10 s even if a task ignores cancellation
    // (it then ends with a fatal error naming the service instead of running on).
    configuration.maximumGracefulShutdownDuration = .seconds(8)
    configuration.maximumCancellationDuration = .seconds(2)
    try await ServiceGroup(configuration: configuration).run()
}

/// A service that runs one closure.
struct ClosureService: Service {
    let logger: Logger
    let body: @Sendable () async throws -> Void

    func run() async throws {
        do {
            try await body()
        } catch is CancellationError {
            logger.debug("stopped")
        }
    }
}
