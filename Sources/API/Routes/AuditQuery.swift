import EventStore
import Foundation
import Projections

/// The filters of `GET /v1/audit` and its export, read from the query string.
struct AuditQuery: Sendable {
    var filter = AuditFilter()

    init(_ input: QueryInput) throws {
        filter.actor = try input.string("actor")
        filter.action = try input.string("action", maximumLength: 128)
        filter.resource = try input.string("resource")
        filter.category = try input.string("category", maximumLength: 128)
        filter.from = try input.time("from")
        filter.to = try input.time("to")
        filter.after = try input.cursor("after") ?? .start
    }

    /// The page of `tenant`'s entries after `filter.after`, at most `limit`, read as that
    /// tenant, with where each request came from revealed (the read model keeps it sealed).
    func page(_ database: TenantDatabase, store: EventStore, tenant: String, limit: Int) async throws -> [AuditEntry] {
        let rows = try await database.queries(AuditQueries.self, as: tenant) { try await $0.page(tenant: tenant, filter, limit: limit) }
        var entries: [AuditEntry] = []
        entries.reserveCapacity(rows.count)
        for row in rows {
            let reveal = { (value: String?, field: String) in
                try await store.revealMetadataField(value, named: field, tenant: tenant, subject: row.dataSubject, eventID: row.eventID)
            }
            entries.append(AuditEntry(row, clientIp: try await reveal(row.clientIP, "clientIp"),
                                      userAgent: try await reveal(row.userAgent, "userAgent")))
        }
        return entries
    }
}
