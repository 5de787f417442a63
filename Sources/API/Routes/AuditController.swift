import EventStore
import Hummingbird

/// `GET /v1/audit`: the caller's tenant's audit read model, filtered, by cursor.
struct AuditController {
    let database: TenantDatabase
    let consistency: Consistency
    let maximumPageSize: Int

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/v1/audit") { request, context in try await list(request, context) }
    }

    private func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.require(.auditor, .admin)
        let input = QueryInput(request: request)
        let query = try AuditQuery(input)
        let limit = try input.int("limit", in: 1...maximumPageSize) ?? 100
        if let cursor = try input.consistentWith() { try await consistency.wait(for: "audit", toReach: cursor) }
        let entries = try await query.page(database, tenant: caller.tenant, limit: limit)
        return JSONPage(items: "entries", lines: entries.map(\.json),
                        next: entries.count == limit ? entries.last?.cursor : nil).response
    }
}
