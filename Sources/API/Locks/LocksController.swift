import Domain
import EventStore
import Foundation
import Hummingbird
import Projections

/// Locks with fencing tokens (docs/locks.md): `POST /v1/locks/{resource}/acquire`,
/// `/renew`, `/release`, `/force-release` (admin), `GET /v1/locks/{resource}`, `GET /v1/locks`
/// and `GET /v1/locks/{resource}/events` (SSE).
struct LocksController {
    let writes: LockWrites
    let database: TenantDatabase
    let consistency: Consistency
    let live: LiveController
    let maximumBodySize: Int
    let maximumPageSize: Int
    /// The longest wait in the queue; a longer `wait_ms` is cut to it.
    let maximumWait: Duration

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/v1/locks/:resource/acquire") { request, context in try await acquire(request, context) }
        router.post("/v1/locks/:resource/renew") { request, context in try await renew(request, context) }
        router.post("/v1/locks/:resource/release") { request, context in try await release(request, context) }
        router.post("/v1/locks/:resource/force-release") { request, context in try await forceRelease(request, context) }
        router.get("/v1/locks/:resource/events") { request, context in try await events(request, context) }
        router.get("/v1/locks/:resource") { request, context in try await show(request, context) }
        router.get("/v1/locks") { request, context in try await list(request, context) }
    }

    /// 423 with the holder when held by another and not waiting (or the wait ran out).
    private func acquire(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<GrantView> {
        let caller = try context.requireCaller()
        try caller.require(.operator, .admin)
        let resource = try LockInput.resource(context)
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(AcquireInput.self)
        let owner = try Self.owner(body.owner, caller: caller)
        let ttl = try LockInput.seconds(body.ttlMs, field: "ttl_ms", range: 1...Int64(Lock.maximumTTL * 1000))
        let asked = try LockInput.seconds(body.waitMs ?? 0, field: "wait_ms", range: 0...Int64(Lock.maximumWait * 1000))
        let wait = min(asked, Double(maximumWait.components.seconds) + Double(maximumWait.components.attoseconds) / 1e18)
        let token = try body.ownerToken.map { try OwnerToken.given($0) } ?? OwnerToken.make()
        let acquired = try await writes.acquire(LockClaim(owner: owner, ownerTokenSHA256: token.sha256, ttl: ttl), wait: wait,
                                                tenant: caller.tenant, resource: resource,
                                                metadata: RequestMetadata(request, context).metadata)
        let view = GrantView(resource: resource, grant: acquired.grant, ownerToken: token, reentrant: acquired.reentrant,
                             waitedMs: Int64((acquired.waited * 1000).rounded()))
        return WriteResponse.make(view, version: acquired.version, position: acquired.position)
    }

    /// 409 when the owner token is not the holder's (released, expired or taken).
    private func renew(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<GrantView> {
        let caller = try context.requireCaller()
        try caller.require(.operator, .admin)
        let resource = try LockInput.resource(context)
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(RenewInput.self)
        let token = try OwnerToken.given(body.ownerToken)
        let ttl = try LockInput.seconds(body.ttlMs, field: "ttl_ms", range: 1...Int64(Lock.maximumTTL * 1000))
        let outcome = try await writes.handle(.renew(ownerTokenSHA256: token.sha256, ttl: ttl, now: writes.clock.now()),
                                              tenant: caller.tenant, resource: resource,
                                              metadata: RequestMetadata(request, context).metadata)
        guard let grant = outcome.state.grant else { throw LockError.notHolder }
        return WriteResponse.make(GrantView(resource: resource, grant: grant, ownerToken: token, reentrant: true, waitedMs: 0),
                                  version: outcome.version, position: outcome.append?.lastCursor)
    }

    private func release(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<ReleaseView> {
        let caller = try context.requireCaller()
        try caller.require(.operator, .admin)
        let resource = try LockInput.resource(context)
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(ReleaseInput.self)
        let token = try OwnerToken.given(body.ownerToken)
        return try await ended(.release(ownerTokenSHA256: token.sha256, now: writes.clock.now()), request, context,
                               resource: resource)
    }

    /// Admin only; the reason is kept in the log (and so in the audit).
    private func forceRelease(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<ReleaseView> {
        let caller = try context.requireCaller()
        try caller.require(.admin)
        try caller.requireTenantWide()
        let resource = try LockInput.resource(context)
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(ForceReleaseInput.self)
        return try await ended(.forceRelease(by: caller.actor, reason: body.reason, now: writes.clock.now()), request, context,
                               resource: resource)
    }

    /// A release or forced release, with the waiter it handed the lock to.
    private func ended(_ command: LockCommand, _ request: Request, _ context: AppRequestContext, resource: String)
        async throws -> EditedResponse<ReleaseView>
    {
        let caller = try context.requireCaller()
        let outcome = try await writes.handle(command, tenant: caller.tenant, resource: resource,
                                              metadata: RequestMetadata(request, context).metadata)
        var ended: Int64 = 0
        var next: LockGrant?
        for event in outcome.events {
            switch event {
            case .released(let token, _, _), .forceReleased(let token, _, _, _, _): ended = token
            case .acquired(let grant): next = grant
            default: break
            }
        }
        let view = ReleaseView(resource: resource, released: true, fencingToken: ended, nextHolder: next?.owner,
                               nextFencingToken: next?.token)
        return WriteResponse.make(view, version: outcome.version, position: outcome.append?.lastCursor)
    }

    private func show(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.require(.reader, .operator, .admin, .auditor)
        let resource = try LockInput.resource(context)
        try await consistency.wait(for: "locks", askedBy: request)
        let now = writes.clock.now()
        guard let row = try await database.queries(LocksQueries.self, as: caller.tenant, {
            try await $0.lock(tenant: caller.tenant, resource: resource, now: now)
        }) else { throw APIError.notFound("no lock \(resource): nothing was ever recorded about it") }
        return try ReadResponse.json(LockView(row, now: now, withWaiters: true), request: request, context: context,
                                     etag: "\"\(row.streamVersion)\"")
    }

    private func list(_ request: Request, _ context: AppRequestContext) async throws -> LockPage {
        let caller = try context.requireCaller()
        try caller.require(.reader, .operator, .admin, .auditor)
        let input = QueryInput(request: request)
        var filter = LockListFilter(now: writes.clock.now(), limit: try input.int("limit", in: 1...maximumPageSize) ?? 100)
        filter.holder = try input.string("holder", maximumLength: Lock.maximumOwnerLength)
        filter.prefix = try input.string("prefix", maximumLength: 190)
        filter.after = try input.string("after", maximumLength: 190)
        switch try input.string("state", maximumLength: 8) {
        case nil: break
        case "held": filter.held = true
        case "free": filter.held = false
        default: throw APIError.invalid("state", "must be held or free")
        }
        try await consistency.wait(for: "locks", askedBy: request)
        let rows = try await database.queries(LocksQueries.self, as: caller.tenant) { try await $0.list(tenant: caller.tenant, filter) }
        return LockPage(locks: rows.map { LockView($0, now: filter.now, withWaiters: false) },
                        next: rows.count == filter.limit ? rows.last?.resource : nil)
    }

    /// The lock's events live (grants, hand-overs, releases, expiries, queue changes).
    private func events(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.require(.reader, .operator, .admin, .auditor)
        let resource = try LockInput.resource(context)
        return try await live.stream(request, context, stream: Lock.stream(resource), authorized: true)
    }

    /// The owner a caller acquires as: a key acting for a user holds locks as that user only.
    private static func owner(_ asked: String?, caller: Caller) throws -> String {
        if let userID = caller.userID {
            guard asked == nil || asked == userID else {
                throw APIError.forbidden("this key acts for user \(userID); it holds locks as that user only")
            }
            return userID
        }
        return asked ?? caller.actor
    }
}
