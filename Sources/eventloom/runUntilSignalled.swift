import EventStore
import Logging
import PostgresNIO
import ServiceLifecycle

/// Runs `body` as a service next to the store's client, notifier and listener until it
/// returns or SIGINT/SIGTERM asks for a graceful shutdown.
func runUntilSignalled(
    _ options: GlobalOptions, logger: Logger, _ body: @Sendable @escaping (EventStore) async throws -> Void
) async throws {
    let client = PostgresClient(configuration: try options.clientConfiguration(), backgroundLogger: options.poolLogger(logger))
    let store = EventStore(client: client, logger: logger)
    let work = ClosureService(logger: logger) {
        try await cancelWhenGracefulShutdown {
            try await checkReachable(client, options)
            try await body(store)
        }
    }
    let group = ServiceGroup(configuration: .init(
        services: [
            .init(service: client),
            .init(service: store.notifier),
            .init(service: store.listener),
            .init(service: work, successTerminationBehavior: .gracefullyShutdownGroup),
        ],
        gracefulShutdownSignals: [.sigterm, .sigint],
        logger: logger))
    try await group.run()
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
