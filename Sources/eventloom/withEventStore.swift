import EventStore
import Logging
import PostgresNIO

/// Runs `body` with an event store whose client runs meanwhile; stops it when it returns.
/// For reads, verification and migrations: nothing here appends or follows the log.
func withEventStore<T: Sendable>(
    _ options: GlobalOptions, logger: Logger,
    _ body: @Sendable @escaping (EventStore) async throws -> T
) async throws -> T {
    let client = PostgresClient(configuration: try options.clientConfiguration(), backgroundLogger: options.poolLogger(logger))
    let store = EventStore(client: client, logger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await client.run() }
        defer { group.cancelAll() }
        return try await body(store)
    }
}
