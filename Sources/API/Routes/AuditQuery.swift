import EventStore
import Foundation
import PostgresNIO

/// The filters of `GET /v1/audit` and its export, as one SQL query with bind parameters.
struct AuditQuery: Sendable {
    var actor: String?
    var action: String?
    var resource: String?
    var category: String?
    var from: Date?
    var to: Date?
    var after: Cursor = .start

    init(_ input: QueryInput) throws {
        actor = try input.string("actor")
        action = try input.string("action", maximumLength: 128)
        resource = try input.string("resource")
        category = try input.string("category", maximumLength: 128)
        from = try input.time("from")
        to = try input.time("to")
        after = try input.cursor("after") ?? .start
    }

    /// The page of rows of `tenant` after `after`, at most `limit`.
    func sql(tenant: String, limit: Int) -> PostgresQuery {
        var sql = PostgresQuery.StringInterpolation(literalCapacity: 512, interpolationCount: 10)
        sql.appendLiteral("SELECT \(AuditEntry.columns) FROM projection_audit.audit_events a WHERE a.tenant_id = ")
        sql.appendInterpolation(tenant)
        sql.appendLiteral(" AND (a.tx_id, a.global_position) > (")
        sql.appendInterpolation(String(after.transaction))
        sql.appendLiteral("::xid8, ")
        sql.appendInterpolation(after.position)
        sql.appendLiteral(")")
        for (column, value) in [("actor", actor), ("action", action), ("resource", resource), ("category", category)] {
            guard let value else { continue }
            sql.appendLiteral(" AND a.\(column) = ")
            sql.appendInterpolation(value)
        }
        if let from {
            sql.appendLiteral(" AND a.recorded_at >= ")
            sql.appendInterpolation(from)
        }
        if let to {
            sql.appendLiteral(" AND a.recorded_at < ")
            sql.appendInterpolation(to)
        }
        sql.appendLiteral(" ORDER BY a.tx_id, a.global_position LIMIT ")
        sql.appendInterpolation(limit)
        return PostgresQuery(stringInterpolation: sql)
    }

    /// The page of `tenant`'s entries after `after`, at most `limit`, read as that tenant.
    func page(_ database: TenantDatabase, tenant: String, limit: Int) async throws -> [AuditEntry] {
        try await database.read(as: tenant) { connection in
            var entries: [AuditEntry] = []
            for try await row in try await connection.query(sql(tenant: tenant, limit: limit), logger: database.logger) {
                entries.append(try AuditEntry(row: row))
            }
            return entries
        }
    }
}
