import EventStore
import PostgresNIO

extension ProjectionRunner {
    /// Runs `body` in a transaction whose unqualified table names resolve in `schema`, and
    /// in which row-level security lets the projection see and write every tenant.
    func transaction<T: Sendable>(in schema: String, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await store.withTransaction { connection in
            try await connection.queryUnlessClosed("""
                SELECT set_config('search_path', \(schema + ", public"), true),
                       set_config('eventloom.tenant', '*', true)
                """, logger: logger)
            return try await body(connection)
        }
    }

    /// Registers the projection and creates its live tables, once; true if it did.
    func register() async throws -> Bool {
        try await transaction(in: projection.schema) { connection in
            guard try await catalog.register(projection, on: connection) else { return false }
            try await connection.queryUnlessClosed("DROP SCHEMA IF EXISTS \(unescaped: projection.schema) CASCADE", logger: logger)
            try await connection.queryUnlessClosed("CREATE SCHEMA \(unescaped: projection.schema)", logger: logger)
            try await projection.createTables(on: connection, logger: logger)
            try await projection.createIndexes(on: connection, logger: logger)
            return true
        }
    }
}
