import PostgresNIO

extension EventStore {
    /// Runs `body` in a transaction on a connection of the pool: commits when it returns,
    /// rolls back when it throws.
    ///
    /// Unlike `PostgresClient.withTransaction`, it never sends a statement on a connection
    /// that has closed. postgres-nio (1.33) drops a statement written to a closed connection
    /// without answering it, so the caller waits forever and cancellation does not reach it:
    /// after a database restart that is what left projection runners stopped and
    /// `eventloom project` deaf to SIGTERM (a ROLLBACK sent after the lost statement).
    /// - Throws: what `body` throws; ``EventStoreError`` `unavailable` when the connection
    ///   was lost (nothing of the transaction is then known to have committed, or not).
    public func withTransaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withConnection { connection in
                // Read committed whatever the role's default: every statement takes a snapshot
                // of its own, after the horizon floor it may read (HorizonFloor).
                try await Self.run("BEGIN ISOLATION LEVEL READ COMMITTED", on: connection, logger: logger)
                let value: T
                do {
                    value = try await body(connection)
                } catch {
                    _ = try? await connection.queryUnlessClosed("ROLLBACK", logger: logger)
                    throw error
                }
                try await Self.run("COMMIT", on: connection, logger: logger)
                return value
            }
        } catch let error as PSQLError {
            if case .unavailable = DatabaseFailure(error) {
                throw EventStoreError(.unavailable, "the database connection was lost", underlying: error)
            }
            throw error
        }
    }

    /// Runs a statement without results on `connection`, refusing a connection that has
    /// closed (see ``withTransaction(_:)``).
    /// - Throws: ``EventStoreError`` `unavailable` when the connection is closed.
    public static func run(_ statement: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws {
        _ = try await connection.queryUnlessClosed(statement, logger: logger)
    }
}
