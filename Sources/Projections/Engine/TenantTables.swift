import Logging
import PostgresNIO

/// Creates read-model tables whose rows each belong to one tenant (a `tenant_id` column):
/// row-level security then shows a query only its tenant's rows.
enum TenantTables {
    /// Runs the fixed `statements`, then protects each of `tables` with the tenant policy.
    static func create(_ statements: [String], tables: [String], on connection: PostgresConnection, logger: Logger) async throws {
        for statement in statements { try await connection.queryUnlessClosed(PostgresQuery(unsafeSQL: statement), logger: logger) }
        for table in tables {
            try await connection.queryUnlessClosed(PostgresQuery(unsafeSQL: "ALTER TABLE \(table) ENABLE ROW LEVEL SECURITY"), logger: logger)
            try await connection.queryUnlessClosed(PostgresQuery(unsafeSQL: "ALTER TABLE \(table) FORCE ROW LEVEL SECURITY"), logger: logger)
            try await connection.queryUnlessClosed(PostgresQuery(unsafeSQL: """
                CREATE POLICY tenant_rows ON \(table)
                    USING (eventloom_visible_tenant(tenant_id)) WITH CHECK (eventloom_visible_tenant(tenant_id))
                """), logger: logger)
        }
    }

    /// Runs the fixed `statements` (indexes).
    static func run(_ statements: [String], on connection: PostgresConnection, logger: Logger) async throws {
        for statement in statements { try await connection.queryUnlessClosed(PostgresQuery(unsafeSQL: statement), logger: logger) }
    }
}
