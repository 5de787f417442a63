import Domain
import EventStore
import Foundation
import Hummingbird

/// The tenant's rate limits per API key, user and model (docs/rate-limits.md): `PUT` and
/// `DELETE /v1/rate-limits/{scope}/{subject}` (an administrator's), `GET` of one and `GET
/// /v1/rate-limits` (pages in scope and subject order). Reads fold the limits' stream (through
/// a state cache), so they show every change written.
struct RateLimitsController {
    let store: EventStore
    let maximumBodySize: Int
    let clock: WallClock
    /// The tenants' limits, about 100 bytes a subject, 64 MiB at most.
    let cache = StateCache<RateLimitsState>(capacity: 64 << 20) { 1_000 + $0.count * 100 }
    /// The most limits a page lists, and how many unless asked.
    static let maximumPage = 1_000
    static let defaultPage = 100

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/v1/rate-limits") { request, context in try await list(request, context) }
        router.get("/v1/rate-limits/:scope/:subject") { request, context in try await show(request, context) }
        router.put("/v1/rate-limits/:scope/:subject") { request, context in try await set(request, context) }
        router.delete("/v1/rate-limits/:scope/:subject") { request, context in try await remove(request, context) }
    }

    private func set(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<RateLimitView> {
        let (scope, subject) = try path(context)
        let limit = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(RateLimit.self)
        let outcome = try await handle(.set(scope: scope, subject: subject, limit: limit, now: clock.now()), request, context)
        return WriteResponse.make(RateLimitView(scope: scope, subject: subject, limit: limit, streamVersion: outcome.version),
                                  version: outcome.version, position: outcome.append?.lastCursor)
    }

    private func remove(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (scope, subject) = try path(context)
        let outcome = try await handle(.remove(scope: scope, subject: subject, now: clock.now()), request, context)
        var response = Response(status: .noContent)
        response.headers[.eTag] = "\"\(outcome.version)\""
        return response
    }

    private func show(_ request: Request, _ context: AppRequestContext) async throws -> RateLimitView {
        try reader(context)
        let (scope, subject) = try path(context)
        let folded = try await store.state(of: RateLimits.self, tenant: try context.requireCaller().tenant, stream: RateLimits.stream,
                                           cache: cache)
        guard let limit = folded.state.limits[scope]?[subject] else { throw RateLimitsError.unknown(scope: scope, subject: subject) }
        return RateLimitView(scope: scope, subject: subject, limit: limit, streamVersion: folded.version)
    }

    private func list(_ request: Request, _ context: AppRequestContext) async throws -> RateLimitsPage {
        try reader(context)
        let input = QueryInput(request: request)
        let scope = try input.string("scope").map { name in
            guard let scope = RateScope(rawValue: name) else { throw APIError.invalid("scope", "must be key, user or model") }
            return scope
        }
        let after = try input.string("after", maximumLength: 512)
        let size = try input.int("limit", in: 1...Self.maximumPage) ?? Self.defaultPage
        let folded = try await store.state(of: RateLimits.self, tenant: try context.requireCaller().tenant, stream: RateLimits.stream,
                                           cache: cache)
        let all = folded.state.limits.filter { scope == nil || $0.key == scope }
            .flatMap { scope, subjects in subjects.map { RateLimitView(scope: scope, subject: $0.key, limit: $0.value, streamVersion: nil) } }
            .sorted { ($0.scope, $0.subject) < ($1.scope, $1.subject) }
            .filter { after == nil || $0.cursor > after! }
        let page = Array(all.prefix(size))
        return RateLimitsPage(limits: page, next: all.count > size ? page.last?.cursor : nil, streamVersion: folded.version)
    }

    private func handle(_ command: RateLimitsCommand, _ request: Request, _ context: AppRequestContext) async throws
        -> CommandHandler<RateLimits>.Outcome
    {
        let caller = try context.requireCaller()
        try caller.require(.admin)
        try caller.requireTenantWide()
        return try await CommandHandler(store: store, decider: RateLimits.self, cache: cache).handle(
            [command], tenant: caller.tenant, stream: RateLimits.stream, ifVersion: try WriteResponse.ifMatch(request),
            metadata: RequestMetadata(request, context).metadata)
    }

    private func reader(_ context: AppRequestContext) throws {
        let caller = try context.requireCaller()
        try caller.require(.reader, .operator, .admin, .auditor)
        try caller.requireTenantWide()
    }

    private func path(_ context: AppRequestContext) throws -> (RateScope, String) {
        let path = PathInput(context: context)
        let name = try path.string("scope")
        guard let scope = RateScope(rawValue: name) else {
            throw APIError.notFound("no rate-limit scope \(name): the scopes are key, user and model (a channel's limits are in its spec)")
        }
        return (scope, try path.string("subject"))
    }
}
