import EventStore
import Logging
import PostgresNIO

/// Runs `body` with an event store whose client (and, for appends, the commit notifier)
/// run meanwhile; stops them when it returns.
func withEventStore<T: Sendable>(
    _ options: GlobalOptions, logger: Logger, notifying: Bool = false,
    _ body: @Sendable @escaping (EventStore) async throws -> T
) async throws -> T {
    let client = PostgresClient(configuration: try options.clientConfiguration(), backgroundLogger: options.poolLogger(logger))
    let store = EventStore(client: client, logger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await client.run() }
        if notifying { group.addTask { await store.notifier.run() } }
        defer { group.cancelAll() }
        return try await body(store)
    }
}
