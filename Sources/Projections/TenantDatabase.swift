import EventStore
import Logging
import PostgresNIO

/// Read-model queries as one tenant: each runs in a read-only transaction whose
/// `eventloom.tenant` is that tenant, so row-level security hides every other tenant's rows.
/// Reads are planned for their values (`plan_cache_mode=auto`, not the store's generic plans):
/// their optional filters (`$1 IS NULL OR column = $1`) only reach an index once planned
/// with the value in hand.
public struct TenantDatabase: Sendable {
    let store: EventStore
    /// How long one statement may run before PostgreSQL cancels it.
    let statementTimeout: Duration
    public let logger: Logger

    public init(store: EventStore, statementTimeout: Duration, logger: Logger) {
        self.store = store
        self.statementTimeout = statementTimeout
        self.logger = logger
    }

    /// Runs `body` with read model `Q`'s queries as `tenant` (`*`: the system's own lookups,
    /// every tenant).
    /// - Throws: ``EventStoreError`` (`timedOut` past the statement timeout, `unavailable`
    ///   without a database); what `body` throws.
    public func queries<Q: ReadModelQueries, T: Sendable>(
        _: Q.Type, as tenant: String, _ body: (Q) async throws -> T
    ) async throws -> T {
        try await read(as: tenant) { connection in try await body(Q(connection, logger: logger)) }
    }

    /// Runs `body` on the tenant's read-only transaction. Outside this package only a read
    /// model's own queries touch its tables, through ``queries(_:as:_:)``.
    package func read<T: Sendable>(as tenant: String, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            let milliseconds = "\(statementTimeout.components.seconds * 1_000 + statementTimeout.components.attoseconds / 1_000_000_000_000_000)"
            return try await store.withTransaction { connection in
                try await connection.queryUnlessClosed("""
                    SELECT set_config('transaction_read_only', 'on', true), set_config('eventloom.tenant', \(tenant), true),
                           set_config('statement_timeout', \(milliseconds), true), set_config('plan_cache_mode', 'auto', true)
                    """, logger: logger)
                return try await body(connection)
            }
        } catch where error is PSQLError || error is PostgresDecodingError {
            throw store.readError(error)
        }
    }
}
