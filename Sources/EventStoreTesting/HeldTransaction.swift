import EventStore
import Foundation
import Logging
import PostgresNIO

/// A transaction held open on a connection of its own, for tests and benchmarks of what
/// long transactions do to log readers: it begins, runs `statements` (e.g. a write to a
/// read-model table, or `SELECT pg_current_xact_id()` to take a transaction id), runs
/// `body` while it stays open (with the connection, for more statements in it), then commits.
public enum HeldTransaction {
    public static func with<T: Sendable>(
        url: String, statements: [String], _ body: @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: "held-transaction")
        logger.logLevel = .error
        let connection = try await PostgresConnection.connect(
            configuration: try DatabaseURL.connectionConfiguration(url), id: 1, logger: logger)
        let result: Result<T, any Error>
        do {
            _ = try await connection.query("BEGIN", logger: logger)
            for statement in statements {
                _ = try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger).collect()
            }
            let value = try await body(connection)
            _ = try await connection.query("COMMIT", logger: logger)
            result = .success(value)
        } catch {
            result = .failure(error)
        }
        try? await connection.close()
        return try result.get()
    }

    /// The URL of `database` on the cluster of `url`.
    public static func url(_ url: String, database: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.path = "/" + database
        return components.string ?? url
    }
}
