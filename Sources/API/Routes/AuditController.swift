import EventStore
import Hummingbird
import Projections

/// `GET /v1/audit`: the caller's tenant's audit read model, filtered, by cursor. A page is
/// served again from memory while the read model has not moved (same checkpoint, version
/// and rebuild); `consistent_with` always reads the database.
struct AuditController {
    let store: EventStore
    let database: TenantDatabase
    let consistency: Consistency
    let versions: ReadModelVersions
    let cache = PageCache()
    let maximumPageSize: Int

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/v1/audit") { request, context in try await list(request, context) }
    }

    private func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.require(.auditor, .admin)
        try caller.requireTenantWide()
        let input = QueryInput(request: request)
        let query = try AuditQuery(input)
        let limit = try input.int("limit", in: 1...maximumPageSize) ?? 100
        if let cursor = try input.consistentWith() {
            // Read-your-writes: straight from the database, after the wait.
            try await consistency.wait(for: "audit", toReach: cursor)
            // The client saw rows the cached pages may lack: its next plain read must not
            // go back in time.
            cache.clear()
            return try await page(query, tenant: caller.tenant, limit: limit).response
        }
        // A page holds requests' origins revealed: an erasure (here or in another process)
        // drops every page.
        guard let token = versions.token("audit").map({ "\($0)#\(store.erasureEpoch)" }) else {
            return try await page(query, tenant: caller.tenant, limit: limit).response
        }
        let key = "\(caller.tenant)?\(request.uri.query ?? "")"
        if let cached = cache.page(key, token: token) { return JSONPage.response(cached) }
        let body = try await page(query, tenant: caller.tenant, limit: limit).body
        // Kept only if the read model did not move meanwhile (else it would evict pages of
        // the newer token for one of an older).
        if versions.token("audit").map({ "\($0)#\(store.erasureEpoch)" }) == token { cache.store(body, key: key, token: token) }
        return JSONPage.response(body)
    }

    private func page(_ query: AuditQuery, tenant: String, limit: Int) async throws -> JSONPage {
        let entries = try await query.page(database, store: store, tenant: tenant, limit: limit)
        return JSONPage(items: "entries", lines: entries.map(\.json), next: entries.count == limit ? entries.last?.cursor : nil)
    }
}
