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

    /// The page of `tenant`'s entries after `filter.after`, at most `limit`, read as that tenant.
    func page(_ database: TenantDatabase, tenant: String, limit: Int) async throws -> [AuditEntry] {
        try await database.queries(AuditQueries.self, as: tenant) { try await $0.page(tenant: tenant, filter, limit: limit) }
            .map(AuditEntry.init)
    }
}
