import EventStore
import Logging
import PostgresNIO

/// Runs `body` with an event store whose client runs meanwhile; stops it when it returns.
/// For reads, verification and migrations: nothing here appends or follows the log.
func withEventStore<T: Sendable>(
    _ options: GlobalOptions, logger: Logger,
    _ body: @Sendable @escaping (EventStore) async throws -> T
) async throws -> T {
    try await withRunningClient(try options.clientConfiguration(), backgroundLogger: options.poolLogger(logger)) { client in
        try await checkReachable(client, options)
        return try await body(EventStore(client: client, logger: logger, keyring: try options.keyring()))
    }
}

/// Fails with a clear message when PostgreSQL does not answer within `limit` (the pool
/// would otherwise keep retrying the connection for as long as a query waits).
func checkReachable(_ client: PostgresClient, _ options: GlobalOptions, within limit: Duration = .seconds(10)) async throws {
    let answered = try await withThrowingTaskGroup(of: Bool.self) { group in
        group.addTask {
            try await client.query("SELECT 1")
            return true
        }
        group.addTask {
            try await Task.sleep(for: limit)
            return false
        }
        defer { group.cancelAll() }
        return try await group.next() ?? false
    }
    guard answered else {
        let configuration = try options.clientConfiguration()
        throw CommandFailure("""
            cannot reach PostgreSQL at \(configuration.host ?? "?"):\(configuration.port ?? 0) within \(limit): \
            check --database-url / EVENTLOOM_DATABASE_URL (scripts/services start runs a local one)
            """)
    }
}
