import Logging
import PostgresNIO

extension PostgresConnection {
    /// Runs `query` and collects its rows, or fails at once with ``EventStoreError``
    /// `unavailable` when the connection has closed.
    ///
    /// postgres-nio (1.33) leaves a statement written to a connection that has already
    /// closed unanswered, and the waiting task cannot be cancelled: after a database restart
    /// that stopped projection runners for good and kept their processes from ending on
    /// SIGTERM. The check and the write run together on the connection's event loop, where
    /// an open channel still has the handler that answers (or fails) every statement.
    @discardableResult
    public func queryUnlessClosed(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        try await eventLoop.flatSubmit { () -> EventLoopFuture<PostgresQueryResult> in
            guard !self.isClosed else {
                return self.eventLoop.makeFailedFuture(EventStoreError(.unavailable, "the database connection was lost"))
            }
            return self.query(query, logger: logger)
        }.get().rows
    }
}

extension PostgresClient {
    /// ``PostgresNIO/PostgresConnection/queryUnlessClosed(_:logger:)`` on a connection of the pool.
    @discardableResult
    public func queryUnlessClosed(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        try await withConnection { try await $0.queryUnlessClosed(query, logger: logger) }
    }
}
