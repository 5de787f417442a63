import Logging
import PostgresNIO

/// Runs `body` with a `PostgresClient` to `configuration` whose `run()` goes on meanwhile,
/// and shuts the client down when `body` returns or throws.
/// - Parameter backgroundLogger: the pool's own logger (connection start-up and teardown).
public func withRunningClient<T: Sendable>(
    _ configuration: PostgresClient.Configuration, backgroundLogger: Logger,
    _ body: @Sendable (PostgresClient) async throws -> T
) async throws -> T {
    let client = PostgresClient(configuration: configuration, backgroundLogger: backgroundLogger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await client.run() }
        defer { group.cancelAll() }
        return try await body(client)
    }
}
